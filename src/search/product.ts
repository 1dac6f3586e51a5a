import { defineSearchIndex, graphConsume, graphSeed, search } from "@medusajs/framework/utils"
import type { SearchConsumeEvent } from "@medusajs/framework/utils"
import type { SearchTypes } from "@medusajs/framework/types"
import { PRODUCT_SEARCH_INDEX, SEARCH_PRICE_CURRENCIES } from "../lib/search-index"

/**
 * The product search index on Medusa's Search Module (PostgreSQL provider by
 * default). It holds what a search matches on (text, SKUs, brand name), what
 * visibility and the filters need (status, sales channels, brand, categories,
 * collection, tags, lowest price per currency) and the sort keys. Hits are
 * ids: the products themselves are read through the catalog, with the
 * caller's visibility applied again there.
 */

const priceFields = Object.fromEntries(
  SEARCH_PRICE_CURRENCIES.map((c) => [c, search.float().filterable().sortable()])
) as Record<(typeof SEARCH_PRICE_CURRENCIES)[number], ReturnType<typeof search.float>>

const fields = search.define({
  id: search.keyword().filterable().sortable(),
  title: search.text().searchable({ weight: 3 }).sortable(),
  subtitle: search.text().searchable({ weight: 2 }),
  description: search.text().searchable(),
  handle: search.keyword().searchable({ weight: 2 }).filterable(),
  skus: search.keyword().array().searchable({ weight: 2 }),
  status: search.keyword().filterable(),
  created_at: search.date().sortable(),
  sales_channel_ids: search.keyword().array().filterable(),
  brand_id: search.keyword().filterable().facetable(),
  brand_name: search.text().searchable({ weight: 2 }),
  brand_handle: search.keyword().filterable(),
  category_ids: search.keyword().array().filterable().facetable(),
  collection_id: search.keyword().filterable(),
  tags: search.keyword().array().filterable().searchable(),
  min_price: search.object(priceFields),
})

type Row = {
  id: string
  title: string
  subtitle: string | null
  description: string | null
  handle: string
  status: string
  created_at: string | Date
  collection_id: string | null
  variants?: { sku: string | null; prices?: { amount: number | string; currency_code: string }[] | null }[] | null
  sales_channels?: { id: string }[] | null
  categories?: { id: string }[] | null
  tags?: { value: string }[] | null
  brand?: { id: string; name: string; handle: string } | null
}

const GRAPH_FIELDS = [
  "id",
  "title",
  "subtitle",
  "description",
  "handle",
  "status",
  "created_at",
  "collection_id",
  "variants.sku",
  "variants.prices.amount",
  "variants.prices.currency_code",
  "sales_channels.id",
  "categories.id",
  "tags.value",
  "brand.id",
  "brand.name",
  "brand.handle",
]

function lowestPrices(row: Row): Record<string, number> {
  const lowest: Record<string, number> = {}
  for (const v of row.variants ?? []) {
    for (const p of v?.prices ?? []) {
      const c = p?.currency_code?.toLowerCase()
      if (!c || !(SEARCH_PRICE_CURRENCIES as readonly string[]).includes(c)) continue
      const amount = Number(p.amount)
      if (!Number.isFinite(amount)) continue
      if (lowest[c] === undefined || amount < lowest[c]) lowest[c] = amount
    }
  }
  return lowest
}

export function toSearchDocument(row: Row) {
  return {
    id: row.id,
    title: row.title,
    subtitle: row.subtitle ?? "",
    description: row.description ?? "",
    handle: row.handle,
    skus: (row.variants ?? []).map((v) => v?.sku).filter((s): s is string => !!s),
    status: row.status,
    created_at: new Date(row.created_at).toISOString(),
    sales_channel_ids: (row.sales_channels ?? []).filter(Boolean).map((s) => s.id),
    brand_id: row.brand?.id ?? "",
    brand_name: row.brand?.name ?? "",
    brand_handle: row.brand?.handle ?? "",
    category_ids: (row.categories ?? []).filter(Boolean).map((c) => c.id),
    collection_id: row.collection_id ?? "",
    tags: (row.tags ?? []).filter(Boolean).map((t) => t.value),
    min_price: lowestPrices(row),
  } as any
}

const transform = (rows: Row[]) => rows.map(toSearchDocument)

/**
 * Events that change what a product's document holds, besides the product's
 * own. Module services name their events module.model.action; a link's
 * events carry the link row's id only.
 */
const LINKS: Record<string, string> = {
  LinkProductProductBrandBrand: "product_brand",
  LinkProductSalesChannel: "product_sales_channel",
}
const LINK_EVENTS = Object.keys(LINKS).flatMap((name) => [`${name}.attached`, `${name}.detached`])
const BRAND_EVENTS = ["brand.brand.updated", "brand.brand.deleted"]
const VARIANT_EVENTS = ["product-variant.created", "product-variant.updated", "product-variant.deleted"]

function idsOf(data: unknown, key: string): string[] {
  const items = Array.isArray(data) ? data : [data]
  return items.flatMap((d: any) => d?.[key] ?? []).filter((v: unknown): v is string => typeof v === "string")
}

/** The products an event touches. */
async function resolveProductIds(event: SearchConsumeEvent, context: SearchTypes.SearchIngestionContext) {
  const name = event.name
  const query = context.container.query
  const ids = idsOf(event.data, "id")
  if (!ids.length) return []
  if (name.startsWith("product.")) return ids
  const link = LINKS[name.slice(0, name.lastIndexOf("."))]
  if (link) {
    // A detached link is soft-deleted: read it anyway for its product.
    const { data } = await query.graph({
      entity: link,
      fields: ["product_id"],
      filters: { id: ids },
      withDeleted: true,
    } as any)
    return [...new Set(data.map((l: { product_id: string }) => l.product_id))] as string[]
  }
  if (BRAND_EVENTS.includes(name)) {
    // A deleted brand's links are dismissed in the same step, and those
    // detach events re-index its products; an update reads the live links.
    const { data } = await query.graph({
      entity: "product_brand",
      fields: ["product_id"],
      filters: { brand_id: ids },
    } as any)
    return data.map((l: { product_id: string }) => l.product_id)
  }
  if (VARIANT_EVENTS.includes(name)) {
    const { data } = await query.graph({
      entity: "product_variant",
      fields: ["product_id"],
      filters: { id: ids },
      withDeleted: true,
    } as any)
    return [...new Set(data.map((v: { product_id: string }) => v.product_id))] as string[]
  }
  return ids
}

export default defineSearchIndex({
  name: PRODUCT_SEARCH_INDEX,
  entity: "product",
  fields,
  settings: { typo_tolerance: { enabled: true } },
  events: [
    "product.created",
    "product.updated",
    "product.deleted",
    ...VARIANT_EVENTS,
    ...LINK_EVENTS,
    ...BRAND_EVENTS,
  ],
  consume: graphConsume<typeof fields, Row>({
    fields: GRAPH_FIELDS,
    transform,
    resolve_ids: resolveProductIds,
    // Only a product's own deletion removes its document; the others re-read it.
    is_delete: (event) => event.name === "product.deleted",
  }),
  seed: graphSeed<typeof fields, Row>({ fields: GRAPH_FIELDS, transform }),
})
