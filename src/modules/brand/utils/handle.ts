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
 * The first of base, base-2, base-3, ... that is not taken. `taken` holds the
 * live handles that start with base.
 */
export function firstFreeHandle(base: string, taken: Set<string>): string {
  if (!taken.has(base)) return base
  for (let n = 2; ; n++) {
    const suffix = `-${n}`
    const candidate = base.slice(0, HANDLE_MAX_LENGTH - suffix.length).replace(/-+$/, "") + suffix
    if (!taken.has(candidate)) return candidate
  }
}
