import type { Knex } from "@medusajs/framework/mikro-orm/knex"
import type { Caller } from "./caller"
import { CatalogAccessError } from "./errors"
import { NOTHING, type Filters } from "./filters"

/** Medusa's link table between products and sales channels. */
export const PRODUCT_SALES_CHANNEL_TABLE = "product_sales_channel"

/**
 * The one rule of who sees which products, for Query. Admins see every
 * product; a storefront sees published products in at least one sales
 * channel of its key (every channel when the store has at most one, as
 * Medusa's store routes do); anyone else nothing.
 */
export function visibleProductConditions(caller: Caller): Filters[] {
  switch (caller.kind) {
    case "admin":
      return []
    case "storefront":
      if (caller.salesChannelIds === null) return [{ status: "published" }]
      if (!caller.salesChannelIds.length) return [NOTHING]
      return [{ status: "published" }, { sales_channels: { id: { $in: caller.salesChannelIds } } }]
    case "none":
      throw new CatalogAccessError(caller.reason)
  }
}

/** The same rule for a planned statement over products as `alias`. */
export function applyProductVisibility(db: Knex, q: Knex.QueryBuilder, caller: Caller, alias = "p"): Knex.QueryBuilder {
  switch (caller.kind) {
    case "admin":
      return q
    case "storefront":
      q.where(`${alias}.status`, "published")
      if (caller.salesChannelIds === null) return q
      if (!caller.salesChannelIds.length) return q.whereRaw("false")
      return q.whereExists(inSalesChannels(db, caller.salesChannelIds, alias))
    case "none":
      throw new CatalogAccessError(caller.reason)
  }
}

/** EXISTS: the product `alias` is in one of these sales channels. */
export function inSalesChannels(db: Knex, ids: readonly string[], alias = "p"): Knex.QueryBuilder {
  return db(`${PRODUCT_SALES_CHANNEL_TABLE} as psc`)
    .select(db.raw("1"))
    .whereRaw(`psc.product_id = ${alias}.id`)
    .whereNull("psc.deleted_at")
    .whereIn("psc.sales_channel_id", [...ids])
}

/** Refuses a caller who may read nothing (no valid publishable key), whatever the read. */
export function assertCanRead(caller: Caller): void {
  if (caller.kind === "none") throw new CatalogAccessError(caller.reason)
}

/**
 * The same rule for the product search index (src/search/product.ts), as
 * filters of Medusa's Search Module: null when the caller may see nothing
 * (a key without channels), so that no search is made at all.
 */
export function visibleSearchFilters(caller: Caller): Record<string, unknown> | null {
  switch (caller.kind) {
    case "admin":
      return {}
    case "storefront": {
      // Written as LIKE matches on single fields, not as the provider's
      // equality (jsonb containment): PostgreSQL estimates any containment
      // at 0.1% of the rows and so reads every visible document through the
      // jsonb index before the text match, though nearly all of them are
      // visible (500 ms at 100,000 products). A LIKE is applied to the rows
      // the text index found instead.
      const published = { status: { $like: "published" } }
      if (caller.salesChannelIds === null) return published
      if (!caller.salesChannelIds.length) return null
      const inChannel = caller.salesChannelIds.map((id) => ({
        sales_channel_list: { $like: `%|${escapeLike(id)}|%` },
      }))
      return { ...published, ...(inChannel.length === 1 ? inChannel[0] : { $or: inChannel }) }
    }
    case "none":
      throw new CatalogAccessError(caller.reason)
  }
}

/** A literal for a LIKE pattern: its wildcards (and the escape) escaped. */
function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`)
}

/**
 * Of the products a change names, those a caller is told changed: the ones
 * in its key's sales channels, or that were (a link the change removed, or
 * removed long ago: a link row is kept when it is dismissed), whatever their
 * status now, since a product leaves a storefront by being unpublished as
 * well. Deleted products count too. Never a product of channels the key has
 * never had. One statement over the link table.
 */
export async function changedProductsFor(db: Knex, caller: Caller, ids: readonly string[]): Promise<string[]> {
  if (caller.kind === "none") throw new CatalogAccessError(caller.reason)
  if (!ids.length || caller.kind === "admin" || caller.salesChannelIds === null) return [...ids]
  if (!caller.salesChannelIds.length) return []
  const rows: { product_id: string }[] = await db(PRODUCT_SALES_CHANNEL_TABLE)
    .distinct("product_id")
    .whereIn("product_id", [...ids])
    .whereIn("sales_channel_id", [...caller.salesChannelIds])
  const found = new Set(rows.map((r) => r.product_id))
  return ids.filter((id) => found.has(id))
}
