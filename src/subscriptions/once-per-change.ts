const computed = new WeakMap<object, Map<string, Promise<unknown>>>()

/**
 * What `compute` gives for one change and one key (a caller, a key's
 * token), computed once for all the streams of this process that hear the
 * same change: a thousand streams of one storefront make one read, not a
 * thousand. Forgotten with the change.
 */
export function oncePerChange<T>(change: object, key: string, compute: () => Promise<T>): Promise<T> {
  let byKey = computed.get(change)
  if (!byKey) computed.set(change, (byKey = new Map()))
  let result = byKey.get(key) as Promise<T> | undefined
  if (!result) byKey.set(key, (result = compute()))
  return result
}
