import { containsNul } from "../lib/nul"
import { CatalogInputError } from "./errors"

/** What a cursor holds: the type, the order field, its value and the id. */
export type CursorData = { type: string; field: string; value: string; id: string }

const VERSION = "v1"

export function encodeCursor({ type, field, value, id }: CursorData): string {
  return Buffer.from(JSON.stringify([VERSION, type, field, value, id])).toString("base64url")
}

/**
 * Reads a cursor and checks that it belongs to this connection: same type and
 * same order field. Anything else is bad input.
 */
export function decodeCursor(
  cursor: string,
  expected: { type: string; field: string },
  argument: string
): CursorData {
  let parts: unknown
  try {
    parts = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"))
  } catch {
    parts = null
  }
  if (
    !Array.isArray(parts) ||
    parts.length !== 5 ||
    parts[0] !== VERSION ||
    // The server never issues a NUL character (PostgreSQL text cannot hold one).
    !parts.slice(1).every((p) => typeof p === "string" && !containsNul(p))
  ) {
    throw new CatalogInputError(`"${argument}" is not a valid cursor.`, argument)
  }
  const [, type, field, value, id] = parts as string[]
  if (type !== expected.type || field !== expected.field) {
    throw new CatalogInputError(
      `"${argument}" is a cursor of another list or order (${type} by ${field}); this one is ${expected.type} by ${expected.field}.`,
      argument
    )
  }
  return { type, field, value, id }
}
