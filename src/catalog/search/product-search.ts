import { Modules } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import { containsNul } from "../../lib/nul"
import { PRODUCT_SEARCH_INDEX, SEARCH_PRICE_CURRENCIES } from "../../search/product-index-names"
import { readBrands } from "../brands"
import { decodeCursor, encodeCursor } from "../cursor"
import { CatalogInputError } from "../errors"
import { assertListSize } from "../filters"
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from "../keyset"
import { buildConnection, type Connection } from "../page"
import { readProducts } from "../products"
import { correctQuery } from "./search-dictionary"
import type { Projection } from "../read"
import type { ReadContext } from "../read-context"
import type { BrandRecord, CategoryRecord, ProductRecord } from "../records"
import { translateRecords } from "../translations"
import { visibleSearchFilters } from "../visibility"

/** The longest search text accepted; longer is bad input, not a statement. */
export const MAX_SEARCH_LENGTH = 200

/** The most values a facet lists (the schema's @listSize on the facet lists says the same). */
export const FACET_LIMIT = 50

export type ProductSearchFilterInput = {
  brandId?: readonly string[] | null
  categoryId?: readonly string[] | null
  collectionId?: readonly string[] | null
  tag?: readonly string[] | null
  price?: { currencyCode: string; min?: string | null; max?: string | null } | null
}

export type ProductSearchOrderInput = {
  field: "RELEVANCE" | "PRICE" | "TITLE" | "CREATED_AT"
  direction?: "ASC" | "DESC" | null
} | null

export type ProductSearchArgs = {
  query: string
  filter?: ProductSearchFilterInput | null
  orderBy?: ProductSearchOrderInput
  first?: number | null
  after?: string | null
  last?: number | null
  before?: string | null
}

/** What of a result the caller asked for, and how to read the records it holds. */
export type ProductSearchWant = {
  products: Projection | null
  brands: Projection | null
  categories: Projection | null
  /** The price facet: lowest prices in `currency` counted between `bounds` (ascending). */
  prices: { currency: string | null; bounds: string[] } | null
  /** Category fields to read for a storefront caller also filter hidden categories out. */
  categoriesVisibleOnly: boolean
}

export type ProductSearchPage = Connection<ProductRecord> & {
  totalCount: number
  /** The query the hits were found for when the one sent matched nothing and was corrected; null otherwise. */
  correctedQuery: string | null
  facets: {
    brands: { brand: BrandRecord; count: number }[]
    categories: { category: CategoryRecord; count: number }[]
    prices: PriceBucket[]
  }
}

/** Products whose lowest price is at least `min` and below `max` (null: unbounded). */
export type PriceBucket = { min: string | null; max: string | null; count: number }

/** Most bounds a price facet may have. */
export const MAX_PRICE_BOUNDS = 20

/** The search context: the catalog's, and the container to reach the Search Module through. */
export type SearchContext = ReadContext & { scope: MedusaContainer }

const CURSOR_TYPE = "ProductSearch"

type Plan = { skip: number; take: number; backward: boolean; orderField: string }

/**
 * Product search through Medusa's Search Module. The index answers which
 * products match (ids, in its order), how many, and the facet counts, with
 * the caller's visibility among its filters; the products and brands are
 * then read through the catalog (readProducts, readBrands), once each.
 *
 * Paging uses offset cursors: relevance has no stable key to continue from,
 * so a cursor is a position in the ordered result. A write between two pages
 * can shift a product by a place.
 */
export async function searchProducts(
  ctx: SearchContext,
  args: ProductSearchArgs,
  want: ProductSearchWant
): Promise<ProductSearchPage> {
  const text = validateQuery(args.query)
  const visibility = visibleSearchFilters(ctx.caller)
  const orderField = args.orderBy?.field ?? "RELEVANCE"
  const direction = args.orderBy?.direction ?? "ASC"
  const filters = { ...searchFilters(args.filter), ...(visibility ?? {}) }
  const order = searchOrder(orderField, direction, args.filter)
  if (visibility === null) return emptyResult()

  const search = ctx.scope.resolve(Modules.SEARCH) as any
  const run = (q: string, skip: number, take: number, facets: object[]) =>
    search.search({
      entity: PRODUCT_SEARCH_INDEX,
      fields: ["id"],
      filters: { q, ...filters },
      pagination: { skip, take, order },
      search_options: {
        match_strategy: "last",
        count: "exact",
        ...(facets.length ? { facets, disjunctive_facets: true } : {}),
      },
    })
  // A query is matched as typed (each word, the last as a prefix). Only
  // when that finds nothing are its words corrected through the dictionary
  // of the index's words the caller may see, and the corrected query
  // searched instead: milliseconds, where the provider's typo tolerance
  // compares every document (and also finds words the shopper did not mean,
  // "bottle" for "kettle"). Whether anything matches as typed decides for
  // every page alike.
  let correction: Promise<string | null> | undefined
  const matching = async (skip: number, take: number, facets: object[]) => {
    const typed = await run(text, skip, take, facets)
    if (typed.metadata.count) return { result: typed, correctedQuery: null }
    correction ??= correctQuery(ctx, PRODUCT_SEARCH_INDEX, text)
    const corrected = await correction
    if (!corrected) return { result: typed, correctedQuery: null }
    const again = await run(corrected, skip, take, facets)
    return again.metadata.count ? { result: again, correctedQuery: corrected } : { result: typed, correctedQuery: null }
  }

  const priceFacet = want.prices && priceFacetOf(want.prices)
  const facets = [
    ...(want.brands ? [{ field: "brand_id", type: "value", limit: FACET_LIMIT, sort: "count" }] : []),
    ...(want.categories ? [{ field: "category_ids", type: "value", limit: FACET_LIMIT, sort: "count" }] : []),
    ...(priceFacet ? [priceFacet.request] : []),
  ]

  let plan = planOffset(args, orderField)
  // `last` without `before` counts back from the end: the count comes first.
  if (plan.backward && plan.skip < 0) {
    const { result: counted } = await matching(0, 0, [])
    const total = counted.metadata.count ?? 0
    plan = { ...plan, skip: Math.max(0, total + plan.skip), take: Math.min(plan.take, total) }
  }
  const { result, correctedQuery } = await matching(plan.skip, plan.take + (plan.backward ? 0 : 1), facets)
  const totalCount: number = result.metadata.count ?? 0
  const hitIds: string[] = (result.hits as { id: string }[]).map((h) => h.id)
  const hasMore = !plan.backward && hitIds.length > plan.take
  const pageIds = hitIds.slice(0, plan.take)

  const brandCounts = valueCounts(result.facets?.brand_id).filter((v) => v.value !== "")
  const categoryCounts = valueCounts(result.facets?.category_ids)

  const [products, brands, categories] = await Promise.all([
    want.products && pageIds.length ? readProducts(ctx, want.products, { ids: pageIds }) : [],
    want.brands && brandCounts.length
      ? readBrands(ctx, want.brands, { ids: brandCounts.map((b) => b.value) })
      : [],
    want.categories && categoryCounts.length
      ? readCategories(ctx, want.categories, categoryCounts.map((c) => c.value), want.categoriesVisibleOnly)
      : [],
  ])

  // The index's order; a product the catalog no longer shows (a change the
  // index has not seen yet) drops out rather than being shown.
  const byId = new Map((products as ProductRecord[]).map((p) => [p.id, p]))
  const positioned = pageIds
    .map((id, i) => ({ id, position: plan.skip + i, node: want.products ? byId.get(id) : ({ id } as ProductRecord) }))
    .filter((p): p is { id: string; position: number; node: ProductRecord } => !!p.node)
  const cursorAt = new Map(positioned.map((p) => [p.node, p.position]))
  const connection = buildConnection(
    positioned.map((p) => p.node),
    (node) => encodeCursor({ type: CURSOR_TYPE, field: orderField, value: String(cursorAt.get(node)), id: node.id }),
    {
      hasNextPage: plan.backward ? plan.skip + plan.take < totalCount : hasMore,
      hasPreviousPage: plan.skip > 0,
    },
    totalCount
  )

  const brandById = new Map((brands as BrandRecord[]).map((b) => [b.id, b]))
  const categoryById = new Map((categories as CategoryRecord[]).map((c) => [c.id, c]))
  return {
    ...connection,
    totalCount,
    correctedQuery,
    facets: {
      brands: brandCounts
        .filter((b) => brandById.has(b.value))
        .map((b) => ({ brand: brandById.get(b.value)!, count: b.count })),
      categories: categoryCounts
        .filter((c) => categoryById.has(c.value))
        .map((c) => ({ category: categoryById.get(c.value)!, count: c.count })),
      prices: priceFacet ? priceFacet.buckets(result.facets?.[priceFacet.request.field]) : [],
    },
  }
}

/**
 * The index's range facet for the price facet's bounds, and how to read its
 * answer back; null for a currency the index holds no prices in.
 */
function priceFacetOf({ currency, bounds }: { currency: string | null; bounds: string[] }) {
  if (bounds.length > MAX_PRICE_BOUNDS) {
    throw new CatalogInputError(`"bounds" has ${bounds.length} values; at most ${MAX_PRICE_BOUNDS} are allowed.`, "bounds")
  }
  const values = bounds.map((b) => decimal(b, "bounds"))
  if (values.some((v, i) => v < 0 || (i > 0 && v <= values[i - 1]))) {
    throw new CatalogInputError('"bounds" must be ascending and not negative, e.g. ["10", "25", "50"].', "bounds")
  }
  if (!currency || !(SEARCH_PRICE_CURRENCIES as readonly string[]).includes(currency)) return null
  const edges: (string | null)[] = [null, ...bounds, null]
  const ranges = edges.slice(0, -1).map((min, i) => ({ min, max: edges[i + 1] }))
  const field = `min_price.${currency}`
  return {
    request: {
      field,
      type: "range",
      ranges: ranges.map((r, i) => ({
        key: String(i),
        ...(r.min !== null ? { from: Number(r.min) } : {}),
        ...(r.max !== null ? { to: Number(r.max) } : {}),
      })),
    },
    buckets(facet: any): PriceBucket[] {
      const counts = new Map<string, number>(
        (facet?.type === "range" ? facet.ranges : []).map((r: { key: string; count: number }) => [r.key, r.count])
      )
      return ranges.map((r, i) => ({ ...r, count: counts.get(String(i)) ?? 0 }))
    },
  }
}

function emptyResult(): ProductSearchPage {
  return {
    ...buildConnection<ProductRecord>([], () => "", { hasNextPage: false, hasPreviousPage: false }, 0),
    totalCount: 0,
    correctedQuery: null,
    facets: { brands: [], categories: [], prices: [] },
  }
}

/** The query as searched (trimmed), or bad input: empty, over MAX_SEARCH_LENGTH, a NUL. */
export function validateQuery(query: string): string {
  if (containsNul(query)) {
    throw new CatalogInputError('"query" has a NUL character (\\u0000), which no product can hold.', "query")
  }
  const text = query.trim()
  if (!text) throw new CatalogInputError('"query" must not be empty.', "query")
  if (text.length > MAX_SEARCH_LENGTH) {
    throw new CatalogInputError(`"query" is ${text.length} characters long; at most ${MAX_SEARCH_LENGTH} are allowed.`, "query")
  }
  return text
}

/** The filter as the index's filters; each on its own field, so a facet can leave its own out. */
function searchFilters(filter: ProductSearchFilterInput | null | undefined): Record<string, unknown> {
  if (!filter) return {}
  if (containsNul(filter)) {
    throw new CatalogInputError('"filter" has a string with a NUL character (\\u0000), which no record can hold.', "filter")
  }
  const out: Record<string, unknown> = {}
  const list = (name: keyof ProductSearchFilterInput, field: string) => {
    const values = filter[name] as readonly string[] | null | undefined
    if (values == null) return
    assertListSize(values, `filter.${name}`)
    // An empty list matches nothing, as an `in` of nothing does elsewhere.
    out[field] = values.length ? { $in: [...values] } : { $in: ["\u0001none"] }
  }
  list("brandId", "brand_id")
  list("categoryId", "category_ids")
  list("collectionId", "collection_id")
  list("tag", "tags")
  if (filter.price) {
    const currency = priceCurrency(filter.price.currencyCode, "filter.price.currencyCode")
    const range: Record<string, number> = {}
    if (filter.price.min != null) range.$gte = decimal(filter.price.min, "filter.price.min")
    if (filter.price.max != null) range.$lte = decimal(filter.price.max, "filter.price.max")
    out[`min_price.${currency}`] = Object.keys(range).length ? range : { $exists: true }
  }
  return out
}

function priceCurrency(code: string, argument: string): string {
  const currency = code.toLowerCase()
  if (!(SEARCH_PRICE_CURRENCIES as readonly string[]).includes(currency)) {
    throw new CatalogInputError(
      `"${argument}" must be one of ${SEARCH_PRICE_CURRENCIES.join(", ")} (the currencies the search index holds); got "${code}".`,
      argument
    )
  }
  return currency
}

function decimal(value: string, argument: string): number {
  const number = /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : NaN
  // The Decimal scalar bounds its input; a caller that skips it must not reach SQL with Infinity.
  if (!Number.isFinite(number)) throw new CatalogInputError(`"${argument}" is not a decimal number within range.`, argument)
  return number
}

function searchOrder(
  field: string,
  direction: "ASC" | "DESC",
  filter: ProductSearchFilterInput | null | undefined
): Record<string, "ASC" | "DESC"> {
  const reverse = direction === "DESC" ? "ASC" : "DESC"
  switch (field) {
    case "RELEVANCE":
      // ASC: best match first (rank 1, 2, ...); DESC turns it round.
      return { _score: reverse, id: "ASC" }
    case "PRICE": {
      if (!filter?.price?.currencyCode) {
        throw new CatalogInputError('Ordering by PRICE needs "filter.price.currencyCode".', "orderBy")
      }
      return { [`min_price.${priceCurrency(filter.price.currencyCode, "filter.price.currencyCode")}`]: direction, id: "ASC" }
    }
    case "TITLE":
      return { title: direction, id: "ASC" }
    case "CREATED_AT":
      return { created_at: direction, id: "ASC" }
    default:
      throw new CatalogInputError(`Unknown order field ${field}.`, "orderBy")
  }
}

/** Offsets from the paging arguments; a negative skip counts from the end. */
function planOffset(args: ProductSearchArgs, orderField: string): Plan {
  const { first, last } = args
  if (first != null && last != null) throw new CatalogInputError('Give "first" or "last", not both.', "last")
  for (const [name, value] of [["first", first], ["last", last]] as const) {
    if (value != null && (value < 0 || value > MAX_PAGE_SIZE)) {
      throw new CatalogInputError(`"${name}" must be between 0 and ${MAX_PAGE_SIZE}; got ${value}.`, name)
    }
  }
  const position = (cursor: string, argument: string) => {
    const data = decodeCursor(cursor, { type: CURSOR_TYPE, field: orderField }, argument)
    const n = Number(data.value)
    if (!Number.isInteger(n) || n < 0) throw new CatalogInputError(`"${argument}" is not a valid cursor.`, argument)
    return n
  }
  const after = args.after != null ? position(args.after, "after") : null
  const before = args.before != null ? position(args.before, "before") : null
  if (last != null) {
    const end = before ?? null
    if (end === null) return { skip: -last, take: last, backward: true, orderField }
    const start = Math.max(after != null ? after + 1 : 0, end - last)
    return { skip: start, take: Math.max(0, end - start), backward: true, orderField }
  }
  const start = after != null ? after + 1 : 0
  let take = first ?? DEFAULT_PAGE_SIZE
  if (before != null) take = Math.max(0, Math.min(take, before - start))
  return { skip: start, take, backward: false, orderField }
}

function valueCounts(facet: any): { value: string; count: number }[] {
  if (!facet || facet.type !== "value") return []
  return (facet.values as { value: unknown; count: number }[]).map((v) => ({ value: String(v.value), count: v.count }))
}

/** Categories by id, with the projection's fields; a storefront sees active, public ones only. */
async function readCategories(
  ctx: ReadContext,
  projection: Projection,
  ids: string[],
  visibleOnly: boolean
): Promise<CategoryRecord[]> {
  const { data } = await ctx.query.graph({
    entity: "product_category",
    fields: projection.fields,
    filters: { id: ids, ...(visibleOnly ? { is_active: true, is_internal: false } : {}) },
  } as any)
  return translateRecords(ctx, data as CategoryRecord[])
}
