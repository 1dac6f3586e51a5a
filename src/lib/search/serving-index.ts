/**
 * Which physical index (version) the Search Module searches for each of its
 * indexes, as this process last saw it: the module names it to its provider
 * on every search (`index.physical_name`), and the provider notes it here
 * (src/modules/search-postgres). A reindex builds a new version beside the
 * one serving and keeps the old one for a while after switching, so readers
 * of a version's own tables (the dictionary) need to know which one serves.
 */
const serving = new Map<string, string>()

export function noteServingIndex(name: string, physicalName: string): void {
  serving.set(name, physicalName)
}

/** The physical index last searched for `name`, if any search has run in this process. */
export function servingIndex(name: string): string | undefined {
  return serving.get(name)
}
