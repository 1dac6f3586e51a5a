import type { SearchTypes } from "@medusajs/framework/types"
import type { SearchConsumeEvent } from "@medusajs/framework/utils"

type Query = SearchTypes.SearchIngestionContext["container"]["query"]

/**
 * Link events carry the link row's id only: the link entity to read its
 * product from, by the event's prefix (module links name their events
 * `Link<Module><Model><Module><Model>.attached|detached`).
 */
export const PRODUCT_LINKS: Record<string, string> = {
  LinkProductProductBrandBrand: "product_brand",
  LinkProductSalesChannel: "product_sales_channel",
}
export const PRODUCT_LINK_EVENTS = Object.keys(PRODUCT_LINKS).flatMap((name) => [`${name}.attached`, `${name}.detached`])
export const BRAND_EVENTS = ["brand.brand.updated", "brand.brand.deleted"]
export const VARIANT_EVENTS = ["product-variant.created", "product-variant.updated", "product-variant.deleted"]
export const PRODUCT_EVENTS = ["product.created", "product.updated", "product.deleted"]

function idsOf(data: unknown): string[] {
  const items = Array.isArray(data) ? data : [data]
  return items.map((d: any) => d?.id).filter((v: unknown): v is string => typeof v === "string")
}

/** How an event's ids lead to products: directly, or through a lookup by `key`. */
type Lookup = { entity: string; key: "id" | "brand_id"; withDeleted: boolean }

function lookupOf(name: string): Lookup | null {
  const link = PRODUCT_LINKS[name.slice(0, name.lastIndexOf("."))]
  // A detached link is soft-deleted: read it anyway for its product.
  if (link) return { entity: link, key: "id", withDeleted: true }
  // A renamed brand's products through its live links; a deleted brand's
  // through the links its deletion dismissed (no detach event is emitted
  // for links a brand's deletion takes with it).
  if (name === "brand.brand.updated") return { entity: "product_brand", key: "brand_id", withDeleted: false }
  if (name === "brand.brand.deleted") return { entity: "product_brand", key: "brand_id", withDeleted: true }
  if (VARIANT_EVENTS.includes(name)) return { entity: "product_variant", key: "id", withDeleted: true }
  return null
}

/**
 * The products each event of a batch touches, one list per event. The
 * lookups run once per entity for the whole batch.
 */
export async function productIdsOfEvents(events: SearchConsumeEvent[], query: Query): Promise<string[][]> {
  const lookups = events.map((e) => lookupOf(e.name))
  const wanted = new Map<string, { lookup: Lookup; ids: Set<string> }>()
  events.forEach((event, i) => {
    const lookup = lookups[i]
    if (!lookup) return
    const key = `${lookup.entity}:${lookup.key}`
    const entry = wanted.get(key) ?? { lookup, ids: new Set<string>() }
    idsOf(event.data).forEach((id) => entry.ids.add(id))
    wanted.set(key, entry)
  })

  // entity:key → (looked-up id → product ids)
  const found = new Map<string, Map<string, string[]>>()
  for (const [key, { lookup, ids }] of wanted) {
    const byId = new Map<string, string[]>()
    if (ids.size) {
      const { data } = await query.graph({
        entity: lookup.entity,
        fields: [lookup.key, "product_id"],
        filters: { [lookup.key]: [...ids] },
        withDeleted: lookup.withDeleted,
      } as any)
      for (const row of data as Record<string, string>[]) {
        byId.set(row[lookup.key], [...(byId.get(row[lookup.key]) ?? []), row.product_id])
      }
    }
    found.set(key, byId)
  }

  return events.map((event, i) => {
    const ids = idsOf(event.data)
    const lookup = lookups[i]
    if (!lookup) return ids
    const byId = found.get(`${lookup.entity}:${lookup.key}`)!
    return [...new Set(ids.flatMap((id) => byId.get(id) ?? []))]
  })
}
