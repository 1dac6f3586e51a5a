import { MedusaError } from "@medusajs/framework/utils"
import { BrandInputError, type BrandInput } from "../../modules/brand/service"

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
 * PostgreSQL text and jsonb cannot hold a NUL character: a brand input with
 * one is invalid input (INVALID_DATA naming the field), not a failed insert.
 */
export function assertBrandInputStorable(input: BrandInput): void {
  for (const field of FIELDS) {
    if (containsNul(input[field])) {
      throw new BrandInputError(
        MedusaError.Types.INVALID_DATA,
        `Brand ${field} cannot contain NUL characters (\\u0000).`,
        field
      )
    }
  }
}
