import type { Knex } from "@medusajs/framework/mikro-orm/knex"
import type { Caller } from "./caller"
import { CatalogInputError } from "./errors"
import {
  assertValidFilter,
  idConditions,
  idSet,
  likePattern,
  NOTHING,
  textConditions,
  type Filters,
  type IdMatch,
  type TextMatch,
} from "./filters"
import type { ReadContext } from "./read-context"
import { applyProductVisibility, inSalesChannels, visibleProductConditions } from "./visibility"

/** Which products a list asks for; every condition given must hold. */
export type ProductFilterInput = {
  id?: IdMatch | null
  title?: TextMatch | null
  handle?: TextMatch | null
  /** Medusa's statuses, lower case. */
  status?: readonly string[] | null
  brandId?: IdMatch | null
  /** true: only products with a brand; false: only those without. */
  hasBrand?: boolean | null
  categoryId?: IdMatch | null
  /** With categoryId: products in those categories or any category below them. */
  includeCategoryDescendants?: boolean | null
  collectionId?: IdMatch | null
  /** Products with one of these tag values. */
  tag?: readonly string[] | null
  /** Admins only: products in one of these sales channels. */
  salesChannelId?: IdMatch | null
}

/** A filter checked and made ready for both back-ends: category descendants looked up. */
export type ProductFilter = ProductFilterInput & { categoryIds: string[] | null }

/**
 * Checks a filter (strings, list sizes, who may use it) and looks up what it
 * needs: the categories below the ones named, when asked for (one statement).
 */
export async function prepareProductFilter(
  ctx: Pick<ReadContext, "db" | "caller">,
  filter: ProductFilterInput | null | undefined
): Promise<ProductFilter> {
  assertValidFilter(filter)
  const f = filter ?? {}
  if (f.salesChannelId && ctx.caller.kind !== "admin") {
    throw new CatalogInputError(
      '"filter.salesChannelId" is for admins: a storefront sees the sales channels of its publishable key.',
      "filter.salesChannelId"
    )
  }
  let categoryIds = idSet(f.categoryId)
  if (categoryIds?.length && f.includeCategoryDescendants) {
    const rows: { id: string }[] = await ctx.db("product_category as c")
      .join("product_category as root", function () {
        this.on("c.id", "=", "root.id").orOn(ctx.db.raw("c.mpath like root.mpath || '.%'"))
      })
      .whereIn("root.id", categoryIds)
      .whereNull("c.deleted_at")
      .whereNull("root.deleted_at")
      .distinct("c.id")
    categoryIds = rows.map((r) => r.id)
  }
  return { ...f, categoryIds }
}

/** Whether a filter asks for products without a brand, which Query cannot say: planned apart. */
export function asksForUnbranded(filter: ProductFilterInput | null | undefined): boolean {
  return filter?.hasBrand === false && !idSet(filter.brandId)
}

/**
 * Query filters for products: the caller's visibility and the filter. A
 * filter for which asksForUnbranded is true is planned apart; here it
 * matches nothing only when it also names brands.
 */
export function productConditions(caller: Caller, filter: ProductFilter): Filters[] {
  const conditions: Filters[] = [
    ...visibleProductConditions(caller),
    ...idConditions("id", filter.id),
    ...textConditions("title", filter.title),
    ...textConditions("handle", filter.handle),
    ...idConditions("collection_id", filter.collectionId),
  ]
  if (filter.status) conditions.push({ status: { $in: filter.status } })
  if (filter.categoryIds) conditions.push({ categories: { id: { $in: filter.categoryIds } } })
  if (filter.tag) conditions.push({ tags: { value: { $in: filter.tag } } })
  const channels = idSet(filter.salesChannelId)
  if (channels) conditions.push({ sales_channels: { id: { $in: channels } } })

  const brandIds = idSet(filter.brandId)
  if (brandIds) {
    if (filter.hasBrand === false) return [NOTHING]
    conditions.push({ brand: { id: { $in: brandIds } } })
  } else if (filter.hasBrand === true) {
    conditions.push({ brand: { id: { $ne: null } } })
  } else if (filter.hasBrand === false) {
    throw new Error("products without a brand are planned by readProductsWithoutBrand")
  }
  return conditions
}

/**
 * The same for a planned statement: live products the caller may see, as
 * `p`, with the filter's product conditions applied. Brand conditions are
 * left to the caller, who decides how the link table takes part.
 */
export function visibleProducts(ctx: Pick<ReadContext, "db" | "caller">, filter: ProductFilter): Knex.QueryBuilder {
  const { db } = ctx
  const q = applyProductVisibility(db, db("product as p").whereNull("p.deleted_at"), ctx.caller)
  const ids = idSet(filter.id)
  if (ids) q.whereIn("p.id", ids)
  for (const [column, f] of [["title", filter.title], ["handle", filter.handle]] as const) {
    if (!f) continue
    if (f.eq != null) q.where(`p.${column}`, f.eq)
    if (f.in != null) q.whereIn(`p.${column}`, [...f.in])
    if (f.contains != null) q.whereRaw(`p.${column} ILIKE ? ESCAPE '\\'`, [likePattern(f.contains)])
  }
  if (filter.status) q.whereIn("p.status", [...filter.status])
  const collections = idSet(filter.collectionId)
  if (collections) q.whereIn("p.collection_id", collections)
  if (filter.categoryIds) {
    q.whereExists(
      db("product_category_product as pcp")
        .select(db.raw("1"))
        .join("product_category as pc", "pc.id", "pcp.product_category_id")
        .whereRaw("pcp.product_id = p.id")
        .whereNull("pc.deleted_at")
        .whereIn("pcp.product_category_id", filter.categoryIds)
    )
  }
  if (filter.tag) {
    q.whereExists(
      db("product_tags as pt")
        .select(db.raw("1"))
        .join("product_tag as t", "t.id", "pt.product_tag_id")
        .whereRaw("pt.product_id = p.id")
        .whereNull("t.deleted_at")
        .whereIn("t.value", [...filter.tag])
    )
  }
  const channels = idSet(filter.salesChannelId)
  if (channels) q.whereExists(inSalesChannels(db, channels))
  return q
}
