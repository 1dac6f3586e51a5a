import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, InventoryEvents } from "@medusajs/framework/utils"


/**
 * The Inventory Module's own events (every write to it emits them, whatever
 * workflow or route made it): inventory items, their levels at each
 * location, and reservations (an order placed, edited or fulfilled).
 * Each names the ids of its records only.
 */
export const STOCK_EVENTS: string[] = Object.values(InventoryEvents)

/** How an event's record leads to its inventory item: itself, or a read of the record. */
function itemLookupOf(name: string): { entity: string } | null {
  if (name.startsWith("inventory.inventory-level.")) return { entity: "inventory_level" }
  if (name.startsWith("inventory.reservation-item.")) return { entity: "reservation_item" }
  return null
}

/**
 * The variants whose stock a stock event changed: its
 * records' inventory items, and the variants linked to those. Deleted
 * records are read too, for the item they belonged to.
 */
export async function variantsOfStockEvent(
  container: MedusaContainer,
  name: string,
  ids: string[]
): Promise<string[]> {
  if (!ids.length) return []
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const lookup = itemLookupOf(name)
  let itemIds = ids
  if (lookup) {
    const { data } = await query.graph(
      { entity: lookup.entity, fields: ["id", "inventory_item_id"], filters: { id: ids }, withDeleted: true } as any,
      { cache: { enable: false } }
    )
    itemIds = [...new Set((data as { inventory_item_id: string }[]).map((r) => r.inventory_item_id))]
  }
  if (!itemIds.length) return []
  const { data: links } = await query.graph(
    {
      entity: "product_variant_inventory_items",
      fields: ["variant_id"],
      filters: { inventory_item_id: itemIds },
      withDeleted: true,
    } as any,
    { cache: { enable: false } }
  )
  return [...new Set((links as { variant_id: string }[]).map((r) => r.variant_id))]
}
