import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import {
  createInventoryLevelsWorkflow,
  createStockLocationsWorkflow,
  linkSalesChannelsToStockLocationWorkflow,
} from "@medusajs/medusa/core-flows"
import type { DemoChannel } from "./demo-data"

// The demo's stock: a warehouse per sales channel, and stock kept for the
// variants of one product in four; the others sell from an endless shelf
// (manage_inventory false). Few inventory items keep the first boot quick:
// Medusa makes one per managed variant. Pure functions of the product's
// number n and the variant's index i, so tests can compute what to expect.

/** Each channel's stock location, by name: its stock is what the channel's key sees. */
export const DEMO_LOCATIONS: Record<DemoChannel, string> = {
  webshop: "Webshop warehouse",
  wholesale: "Wholesale warehouse",
}

export type DemoStock = {
  /** Units stocked in each channel's location. */
  stocked: Record<DemoChannel, number>
  allowBackorder: boolean
}

/**
 * The stock of the nth product's ith variant; null where inventory is not
 * managed (three products in four). Of the managed ones, one in four is sold
 * out everywhere (and of those, the ones of every tenth product take
 * backorders); the rest have 1 to 12 units in the webshop's warehouse and 0
 * to 8 in the wholesale one (0 there: sold out to the trade only).
 */
export function demoStock(n: number, i: number): DemoStock | null {
  if (n % 4 !== 0) return null
  const k = n / 4
  if ((k + i) % 4 === 0) return { stocked: { webshop: 0, wholesale: 0 }, allowBackorder: k % 10 === 5 }
  return { stocked: { webshop: 1 + ((k * 7 + i * 3) % 12), wholesale: (k * 3 + i) % 9 }, allowBackorder: false }
}

/** The demo's stock locations, each linked to its channel; returns their ids. */
export async function ensureStockLocations(
  container: MedusaContainer,
  channelIds: Record<DemoChannel, string>
): Promise<Record<DemoChannel, string>> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const entries = Object.entries(DEMO_LOCATIONS) as [DemoChannel, string][]
  const { data: found } = await query.graph({
    entity: "stock_location",
    fields: ["id", "name", "sales_channels.id"],
    filters: { name: entries.map(([, name]) => name) },
  })
  const byName = new Map<string, { id: string; channelIds: string[] }>(
    found.map((l: any) => [l.name, { id: l.id, channelIds: (l.sales_channels ?? []).map((c: any) => c.id) }])
  )
  const missing = entries.filter(([, name]) => !byName.has(name))
  if (missing.length) {
    const { result } = await createStockLocationsWorkflow(container).run({
      input: { locations: missing.map(([, name]) => ({ name })) },
    })
    result.forEach((l: { id: string; name: string }) => byName.set(l.name, { id: l.id, channelIds: [] }))
  }
  for (const [channel, name] of entries) {
    const location = byName.get(name)!
    if (!location.channelIds.includes(channelIds[channel])) {
      await linkSalesChannelsToStockLocationWorkflow(container).run({
        input: { id: location.id, add: [channelIds[channel]] },
      })
    }
  }
  return Object.fromEntries(entries.map(([channel, name]) => [channel, byName.get(name)!.id])) as Record<
    DemoChannel,
    string
  >
}

/**
 * Stocks the inventory items of the managed demo variants (Medusa made one
 * per variant) in both warehouses, in one workflow run. Items that already
 * have levels are left alone, so a second run changes nothing.
 */
export async function ensureDemoStockLevels(
  container: MedusaContainer,
  locationIds: Record<DemoChannel, string>,
  stockBySku: Map<string, DemoStock>
): Promise<number> {
  if (!stockBySku.size) return 0
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data: variants } = await query.graph({
    entity: "product_variant",
    fields: ["sku", "inventory_items.inventory_item_id", "inventory_items.inventory.location_levels.id"],
    filters: { sku: [...stockBySku.keys()] },
  })
  const levels = (variants as any[]).flatMap((variant) => {
    const stock = stockBySku.get(variant.sku)!
    return (variant.inventory_items ?? [])
      .filter((link: any) => !link.inventory?.location_levels?.length)
      .flatMap((link: any) =>
        (Object.keys(locationIds) as DemoChannel[]).map((channel) => ({
          inventory_item_id: link.inventory_item_id as string,
          location_id: locationIds[channel],
          stocked_quantity: stock.stocked[channel],
        }))
      )
  })
  if (levels.length) await createInventoryLevelsWorkflow(container).run({ input: { inventory_levels: levels } })
  return levels.length
}
