import { containsNul } from "../lib/nul"
import { CatalogInputError } from "./errors"

export type Filters = Record<string, unknown>

/** Matches a text field; every condition given must hold. */
export type TextMatch = { eq?: string | null; in?: readonly string[] | null; contains?: string | null }
/** Matches an id; every condition given must hold. */
export type IdMatch = { eq?: string | null; in?: readonly string[] | null }

/** The most values a list argument (`in`, `ids`) may hold. */
export const MAX_LIST_SIZE = 100

/** A list argument longer than MAX_LIST_SIZE is bad input (it would make an unbounded statement). */
export function assertListSize(list: readonly unknown[] | null | undefined, argument: string): void {
  if (list && list.length > MAX_LIST_SIZE) {
    throw new CatalogInputError(`"${argument}" holds ${list.length} values; at most ${MAX_LIST_SIZE} are allowed.`, argument)
  }
}

/** Checks a filter's strings and list sizes before any statement is made of it. */
export function assertValidFilter(filter: object | null | undefined): void {
  if (containsNul(filter)) {
    throw new CatalogInputError(`"filter" has a string with a NUL character (\\u0000), which no record can hold.`, "filter")
  }
  if (!filter) return
  for (const [key, value] of Object.entries(filter)) {
    if (Array.isArray(value)) assertListSize(value, `filter.${key}`)
    else if (value && typeof value === "object" && Array.isArray((value as { in?: unknown[] }).in)) {
      assertListSize((value as { in: unknown[] }).in, `filter.${key}.in`)
    }
  }
}

/** Escapes LIKE wildcards so that `contains` matches them literally. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}

/**
 * Joins conditions into one Query filter object: each key once at the top
 * (Query turns link keys like `brand` into EXISTS only there), repeated keys
 * under $and.
 */
export function allOf(conditions: Filters[]): Filters {
  const out: Filters = {}
  const rest: Filters[] = []
  for (const condition of conditions) {
    for (const [key, value] of Object.entries(condition)) {
      if (key in out) rest.push({ [key]: value })
      else out[key] = value
    }
  }
  if (rest.length) out.$and = rest
  return out
}

/** Sentinel for a filter that no row can match. */
export const NOTHING: Filters = { id: { $in: [] } }

export function textConditions(column: string, filter: TextMatch | null | undefined): Filters[] {
  if (!filter) return []
  const out: Filters[] = []
  if (filter.eq != null) out.push({ [column]: filter.eq })
  if (filter.in != null) out.push({ [column]: { $in: filter.in } })
  if (filter.contains != null) out.push({ [column]: { $ilike: likePattern(filter.contains) } })
  return out
}

/** The ids an id match allows (eq and in intersected), or null when it allows any. */
export function idSet(filter: IdMatch | null | undefined): string[] | null {
  if (!filter || (filter.eq == null && filter.in == null)) return null
  if (filter.eq != null && filter.in != null) return filter.in.includes(filter.eq) ? [filter.eq] : []
  return filter.eq != null ? [filter.eq] : [...filter.in!]
}

export function idConditions(column: string, filter: IdMatch | null | undefined): Filters[] {
  const ids = idSet(filter)
  return ids ? [{ [column]: { $in: ids } }] : []
}
