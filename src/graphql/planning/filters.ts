import type {
  BrandFilter,
  IdFilter,
  ProductFilter,
  StringFilter,
} from "../__generated__/resolvers-types"
import type { GraphQLContext } from "../context"
import { containsNul } from "../../lib/nul"
import { badUserInput } from "../errors"

type Filters = Record<string, unknown>

/** The most values a list argument (`in`, `ids`) may hold. */
export const MAX_LIST_SIZE = 100

/** A filter with a NUL character is bad input (instead of a failed statement). */
function assertNoNul(filter: unknown, argument = "filter"): void {
  if (containsNul(filter)) {
    throw badUserInput(`"${argument}" has a string with a NUL character (\\u0000), which no record can hold.`, argument)
  }
}

/** A list argument longer than MAX_LIST_SIZE is bad input (it would make an unbounded statement). */
export function assertListSize(list: readonly unknown[] | null | undefined, argument: string): void {
  if (list && list.length > MAX_LIST_SIZE) {
    throw badUserInput(`"${argument}" holds ${list.length} values; at most ${MAX_LIST_SIZE} are allowed.`, argument)
  }
}

/** Checks a filter's strings and list sizes before any statement is made of it. */
export function assertValidFilter(filter: ProductFilter | BrandFilter | null | undefined): void {
  assertNoNul(filter)
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

function stringConditions(column: string, filter: StringFilter | null | undefined): Filters[] {
  if (!filter) return []
  const out: Filters[] = []
  if (filter.eq != null) out.push({ [column]: filter.eq })
  if (filter.in != null) out.push({ [column]: { $in: filter.in } })
  if (filter.contains != null) out.push({ [column]: { $ilike: likePattern(filter.contains) } })
  return out
}

function idConditions(column: string, filter: IdFilter | null | undefined): Filters[] {
  if (!filter) return []
  const out: Filters[] = []
  if (filter.eq != null) out.push({ [column]: filter.eq })
  if (filter.in != null) out.push({ [column]: { $in: filter.in } })
  return out
}

/** The ids an IDFilter allows (eq and in intersected), or null when it allows any. */
export function idSet(filter: IdFilter | null | undefined): string[] | null {
  if (!filter || (filter.eq == null && filter.in == null)) return null
  if (filter.eq != null && filter.in != null) return filter.in.includes(filter.eq) ? [filter.eq] : []
  return filter.eq != null ? [filter.eq] : [...filter.in!]
}

export function brandFilters(filter: BrandFilter | null | undefined): Filters[] {
  assertValidFilter(filter)
  return [
    ...idConditions("id", filter?.id),
    ...stringConditions("name", filter?.name),
    ...stringConditions("handle", filter?.handle),
  ]
}

/** Sentinel for a filter that no row can match (e.g. brandId with hasBrand: false). */
export const NOTHING: Filters = { id: { $in: [] } }

/**
 * Whether a product filter asks for products without a brand, which Query
 * cannot say: such a list is planned apart (unbranded-products.ts).
 */
export function asksForUnbranded(filter: ProductFilter | null | undefined): boolean {
  return filter?.hasBrand === false && !idSet(filter.brandId)
}

/**
 * Query filters for products, the caller's visibility included. A filter for
 * which asksForUnbranded is true is planned apart; here it matches nothing
 * only when it also names brands.
 */
export function productFilters(ctx: Pick<GraphQLContext, "isAdmin">, filter: ProductFilter | null | undefined): Filters[] {
  assertValidFilter(filter)
  const conditions: Filters[] = [
    ...idConditions("id", filter?.id),
    ...stringConditions("title", filter?.title),
    ...stringConditions("handle", filter?.handle),
  ]
  if (filter?.status) conditions.push({ status: { $in: filter.status } })
  if (!ctx.isAdmin) conditions.push({ status: "published" })

  const brandIds = idSet(filter?.brandId)
  if (brandIds) {
    if (filter?.hasBrand === false) return [NOTHING]
    conditions.push({ brand: { id: { $in: brandIds } } })
  } else if (filter?.hasBrand === true) {
    conditions.push({ brand: { id: { $ne: null } } })
  } else if (filter?.hasBrand === false) {
    throw new Error("products without a brand are planned by readProductsWithoutBrand")
  }
  return conditions
}
