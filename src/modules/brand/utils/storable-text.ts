const FIELDS = ["name", "handle", "description", "metadata"] as const

/** Whether a value (strings, and the keys and values of objects and arrays) holds a NUL character. */
function containsNul(value: unknown): boolean {
  if (typeof value === "string") return value.includes("\u0000")
  if (Array.isArray(value)) return value.some(containsNul)
  if (value && typeof value === "object") {
    return Object.entries(value).some(([key, v]) => key.includes("\u0000") || containsNul(v))
  }
  return false
}

/**
 * PostgreSQL text and jsonb cannot hold a NUL character: the first brand
 * input field that holds one, or null.
 */
export function findUnstorableField<T extends Partial<Record<(typeof FIELDS)[number], unknown>>>(
  input: T
): (typeof FIELDS)[number] | null {
  return FIELDS.find((field) => containsNul(input[field])) ?? null
}
