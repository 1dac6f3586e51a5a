import { Modules } from "@medusajs/framework/utils"
import { PRODUCT_SEARCH_INDEX } from "../../search/product-index-names"
import { BRAND_ENTITY } from "../entities"
import { CatalogInputError } from "../errors"
import { likePattern } from "../filters"
import { readProducts } from "../products"
import type { Projection } from "../read"
import { queryOptions } from "../read-cache"
import type { BrandRecord, CategoryRecord, ProductRecord } from "../records"
import { translateRecords } from "../translations"
import { completeWord, queryWords } from "./search-dictionary"
import { validateQuery, type SearchContext } from "./product-search"
import { assertCanRead, visibleSearchFilters } from "../visibility"

/** The most of each kind (queries, products, brands, categories) one answer lists. */
export const MAX_PREDICTIVE_LIMIT = 10

export type PredictiveSearchWant = {
  queries: boolean
  products: Projection | null
  brands: Projection | null
  categories: Projection | null
  /** A storefront sees active, public categories only. */
  categoriesVisibleOnly: boolean
}

export type QuerySuggestion = { text: string; styledText: string }

export type PredictiveSearchAnswer = {
  queries: QuerySuggestion[]
  products: ProductRecord[]
  brands: BrandRecord[]
  categories: CategoryRecord[]
}

/**
 * What to show under a search box while the shopper types, each part
 * bounded by `limit` and read only when asked for, all at once:
 * - queries: the last word completed from the dictionary of the index's
 *   words the caller may see (most documents first), after the words before it;
 * - products: the search index's best matches for the text as typed, the
 *   last word as a prefix, under the caller's visibility, read through the
 *   catalog;
 * - brands and categories whose name has a word starting with the text
 *   (a storefront sees active, public categories only; brands are every
 *   caller's).
 */
export async function predictiveSearch(
  ctx: SearchContext,
  args: { query: string; limit?: number | null },
  want: PredictiveSearchWant
): Promise<PredictiveSearchAnswer> {
  assertCanRead(ctx.caller)
  const text = validateQuery(args.query)
  const limit = args.limit ?? 5
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PREDICTIVE_LIMIT) {
    throw new CatalogInputError(`"limit" must be between 1 and ${MAX_PREDICTIVE_LIMIT}; got ${limit}.`, "limit")
  }
  const [queries, products, brands, categories] = await Promise.all([
    want.queries ? suggestQueries(ctx, text, limit) : [],
    want.products ? matchingProducts(ctx, want.products, text, limit) : [],
    want.brands ? namedLike<BrandRecord>(ctx, BRAND_ENTITY.entity, want.brands, text, limit, {}) : [],
    want.categories
      ? namedLike<CategoryRecord>(ctx, "product_category", want.categories, text, limit, {
          ...(want.categoriesVisibleOnly ? { is_active: true, is_internal: false } : {}),
        })
      : [],
  ])
  return { queries, products, brands, categories }
}

async function suggestQueries(ctx: SearchContext, text: string, limit: number): Promise<QuerySuggestion[]> {
  const words = queryWords(text)
  const typed = words.pop()
  if (!typed) return []
  const head = words.map((w) => `${w} `).join("")
  const completions = await completeWord(ctx, PRODUCT_SEARCH_INDEX, typed, limit)
  return completions.map(({ word }) => {
    const rest = word.slice(typed.length)
    return {
      text: head + word,
      styledText: escapeHtml(head + typed) + (rest ? `<mark>${escapeHtml(rest)}</mark>` : ""),
    }
  })
}

/** The index's best `limit` matches, as typed (the last word as a prefix), without a count or facets. */
async function matchingProducts(ctx: SearchContext, projection: Projection, text: string, limit: number) {
  const visibility = visibleSearchFilters(ctx.caller)
  if (visibility === null) return []
  const search = ctx.scope.resolve(Modules.SEARCH) as any
  const { hits } = await search.search({
    entity: PRODUCT_SEARCH_INDEX,
    fields: ["id"],
    filters: { q: text, ...visibility },
    pagination: { skip: 0, take: limit, order: { _score: "DESC", id: "ASC" } },
    search_options: { match_strategy: "last", count: "none" },
  })
  const ids = (hits as { id: string }[]).map((h) => h.id)
  if (!ids.length) return []
  // The index's order; a product the catalog no longer shows drops out.
  const byId = new Map((await readProducts(ctx, projection, { ids })).map((p) => [p.id, p]))
  return ids.map((id) => byId.get(id)).filter((p): p is ProductRecord => !!p)
}

/** Records of `entity` with a word of their name starting with `text`, by name, at most `limit`. */
async function namedLike<T>(
  ctx: SearchContext,
  entity: string,
  projection: Projection,
  text: string,
  limit: number,
  filters: Record<string, unknown>
): Promise<T[]> {
  const startsWith = likePattern(text).slice(1)
  const { data } = await ctx.query.graph(
    {
      entity,
      fields: projection.fields,
      filters: { ...filters, $or: [{ name: { $ilike: startsWith } }, { name: { $ilike: `% ${startsWith}` } }] },
      // No skip: Query then runs no count beside the page.
      pagination: { take: limit, order: { name: "ASC" } },
    } as any,
    entity === BRAND_ENTITY.entity ? queryOptions(ctx.readCache, "Brand") : undefined
  )
  // Matched by the stored name, shown in the operation's locale.
  return translateRecords(ctx, data as (T & object)[])
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}
