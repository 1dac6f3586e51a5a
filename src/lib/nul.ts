/**
 * Whether a value holds a NUL character anywhere: in a string, or in the
 * keys and values of objects and arrays. PostgreSQL text and jsonb cannot
 * hold one, so such input matches no record and would fail a statement.
 */
export function containsNul(value: unknown): boolean {
  if (typeof value === "string") return value.includes("\u0000")
  if (Array.isArray(value)) return value.some(containsNul)
  if (value && typeof value === "object") {
    return Object.entries(value).some(([key, v]) => key.includes("\u0000") || containsNul(v))
  }
  return false
}
