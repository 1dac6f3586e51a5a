import { containsNul } from "../../../lib/nul"

const FIELDS = ["name", "handle", "description", "metadata"] as const

/**
 * PostgreSQL text and jsonb cannot hold a NUL character: the first brand
 * input field that holds one, or null.
 */
export function findUnstorableField<T extends Partial<Record<(typeof FIELDS)[number], unknown>>>(
  input: T
): (typeof FIELDS)[number] | null {
  return FIELDS.find((field) => containsNul(input[field])) ?? null
}
