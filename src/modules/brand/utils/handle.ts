/** A handle is URL-safe: lowercase letters and digits, single dashes between them. */
export const HANDLE_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/

export const HANDLE_MAX_LENGTH = 200

/** Turns a brand name into a handle: "Café Noir & Co." -> "cafe-noir-co". */
export function toHandle(name: string): string {
  const slug = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, HANDLE_MAX_LENGTH)
    .replace(/-+$/g, "")
  return slug || "brand"
}

export function isValidHandle(handle: string): boolean {
  return handle.length <= HANDLE_MAX_LENGTH && HANDLE_PATTERN.test(handle)
}

/**
 * A free handle among base, base-2, base-3, ...: the first one when `spread`
 * is 1; otherwise one of the first `spread` free ones, picked at random.
 * `taken` holds the live handles that start with base. Writers that lost a
 * race for a handle retry with a wider spread, so that many creating brands
 * of one name at the same moment stop picking the same next handle.
 */
export function firstFreeHandle(
  base: string,
  taken: Set<string>,
  spread = 1,
  random: () => number = Math.random
): string {
  const pick = Math.floor(random() * Math.max(1, spread))
  let free = 0
  for (let n = 1; ; n++) {
    const suffix = n === 1 ? "" : `-${n}`
    const candidate = n === 1 ? base : base.slice(0, HANDLE_MAX_LENGTH - suffix.length).replace(/-+$/, "") + suffix
    if (taken.has(candidate)) continue
    if (free++ === pick) return candidate
  }
}
