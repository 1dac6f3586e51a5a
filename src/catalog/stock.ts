import { getTotalVariantAvailability, getVariantAvailability } from "@medusajs/framework/utils"
import type { ReadContext } from "./read-context"
import { queryUnderReadCache } from "./read-cache"
import type { VariantRecord } from "./records"
import { assertCanRead } from "./visibility"

/** What stock rules need of a variant (VariantRecord's stock fields). */
export type StockFields = Pick<VariantRecord, "id" | "manage_inventory" | "allow_backorder">

/** Units available per variant id: null for a variant without inventory items, as Medusa answers. */
export type Availability = Map<string, number | null>

/** The Query fields of a variant that the stock rules read. */
export const VARIANT_STOCK_FIELDS = ["id", "manage_inventory", "allow_backorder"]

/**
 * Units available of each variant for the caller, computed by Medusa's own
 * functions (those of its store and admin routes):
 * - a storefront: in the stock locations of its key's sales channel
 *   (getVariantAvailability, as GET /store/products counts
 *   variants.inventory_quantity). A key with several channels, which Medusa's
 *   store routes refuse to count stock for, gets the most any one of its
 *   channels has: a cart belongs to one channel and is served from its
 *   locations only (decision 0015).
 * - an admin: across every stock location (getTotalVariantAvailability, as
 *   Medusa's admin variant routes count it).
 */
export async function readVariantAvailability(ctx: ReadContext, variantIds: readonly string[]): Promise<Availability> {
  assertCanRead(ctx.caller)
  const variant_ids = [...new Set(variantIds)]
  const found: Availability = new Map()
  if (!variant_ids.length) return found
  // Medusa's availability functions ask Query to cache their reads.
  const query = queryUnderReadCache(ctx)
  if (ctx.caller.kind === "admin") {
    const total = await getTotalVariantAvailability(query, { variant_ids })
    for (const id of variant_ids) found.set(id, total[id]?.availability ?? null)
    return found
  }
  const channelIds = ctx.caller.kind === "storefront" ? [...new Set(ctx.caller.keyChannelIds)] : []
  const perChannel = await Promise.all(
    channelIds.map((sales_channel_id) => getVariantAvailability(query, { variant_ids, sales_channel_id }))
  )
  for (const id of variant_ids) {
    const counts = perChannel.map((channel) => channel[id]?.availability ?? null).filter((n): n is number => n !== null)
    found.set(id, counts.length ? Math.max(...counts) : null)
  }
  return found
}

/** The units to show: null where inventory is not managed (Medusa leaves inventory_quantity out there). */
export function quantityAvailable(variant: StockFields, availability: number | null): number | null {
  return variant.manage_inventory ? availability : null
}

/** A variant needs its stock looked up only when inventory is managed and backorders are not allowed. */
export function needsStock(variant: StockFields): boolean {
  return variant.manage_inventory === true && variant.allow_backorder !== true
}

/**
 * Whether the variant can be bought: inventory not managed, backorders
 * allowed, or units available. A managed variant without inventory items
 * (availability null) cannot be: no location can fulfil it.
 */
export function variantForSale(variant: StockFields, availability: number | null): boolean {
  if (!needsStock(variant)) return true
  return (availability ?? 0) > 0
}

/**
 * Whether any of the variants can be bought; `load` gives the availability
 * of the variants that need a look-up, and is called only when none can be
 * bought without one.
 */
export async function anyForSale(
  variants: readonly StockFields[],
  load: (ids: string[]) => Promise<(number | null)[]>
): Promise<boolean> {
  if (variants.some((v) => !needsStock(v))) return true
  const managed = variants.filter(needsStock)
  if (!managed.length) return false
  const counts = await load(managed.map((v) => v.id))
  return managed.some((v, i) => variantForSale(v, counts[i]))
}
