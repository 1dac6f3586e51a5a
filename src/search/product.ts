import { defineSearchIndex, graphSeed, search } from "@medusajs/framework/utils"
import { batchedConsume } from "./batched-consume"
import { categoryIdsOf } from "./category-ids"
import {
  BRAND_EVENTS,
  PRODUCT_EVENTS,
  PRODUCT_LINK_EVENTS,
  productIdsOfEvents,
  VARIANT_EVENTS,
} from "./product-event-ids"
import { PRODUCT_SEARCH_INDEX, SEARCH_PRICE_CURRENCIES, SEARCH_SEED_PAGE_SIZE } from "./product-index-names"

// One product write emits a dozen events within a few ms (product, variants,
// links): 25 ms gathers them into one read without delaying the index noticeably.
const INGEST_WINDOW_MS = 25
// Products read back per query.graph call while following events: a bulk
// import's thousands of events become a few bounded reads.
const INGEST_CHUNK_SIZE = 200

/**
 * The product search index on Medusa's Search Module (PostgreSQL provider by
 * default). It holds what a search matches on (text, SKUs, brand name), what
 * visibility and the filters need (status, sales channels, brand, categories,
 * collection, tags, lowest price per currency) and the sort keys. Hits are
 * ids: the products themselves are read through the catalog, with the
 * caller's visibility applied again there.
 */

const priceFields = Object.fromEntries(
  SEARCH_PRICE_CURRENCIES.map((c) => [c, search.float().filterable().sortable().facetable()])
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
  // The same ids as one string, "|sc_1|sc_2|", for the visibility filter (see visibleSearchFilters).
  sales_channel_list: search.keyword().filterable(),
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

export function toSearchDocument(row: Row, categoryIds: string[] = []) {
  const channelIds = (row.sales_channels ?? []).filter(Boolean).map((s) => s.id)
  return {
    id: row.id,
    title: row.title,
    subtitle: row.subtitle ?? "",
    description: row.description ?? "",
    handle: row.handle,
    skus: (row.variants ?? []).map((v) => v?.sku).filter((s): s is string => !!s),
    status: row.status,
    created_at: new Date(row.created_at).toISOString(),
    sales_channel_ids: channelIds,
    sales_channel_list: `|${channelIds.join("|")}|`,
    brand_id: row.brand?.id ?? "",
    brand_name: row.brand?.name ?? "",
    brand_handle: row.brand?.handle ?? "",
    category_ids: categoryIds,
    collection_id: row.collection_id ?? "",
    tags: (row.tags ?? []).filter(Boolean).map((t) => t.value),
    min_price: lowestPrices(row),
  } as any
}

/**
 * The documents for a page of products; their category ids come in one
 * statement (see categoryIdsOf).
 */
async function toDocuments(rows: Row[]) {
  const categories = await categoryIdsOf(rows.map((r) => r.id))
  return rows.map((row) => toSearchDocument(row, categories.get(row.id)))
}

export default defineSearchIndex({
  name: PRODUCT_SEARCH_INDEX,
  entity: "product",
  fields,
  settings: { typo_tolerance: { enabled: true } },
  // A product's own events, and those that change what its document holds:
  // variants (SKUs, prices), its sales channel and brand links, its brand.
  events: [...PRODUCT_EVENTS, ...VARIANT_EVENTS, ...PRODUCT_LINK_EVENTS, ...BRAND_EVENTS],
  // Events are read back in batches: a product that is gone (deleted) or
  // that the transform drops leaves the index.
  consume: batchedConsume<Row>({
    entity: "product",
    fields: GRAPH_FIELDS,
    transform: toDocuments,
    resolveIds: productIdsOfEvents,
    windowMs: INGEST_WINDOW_MS,
    chunkSize: INGEST_CHUNK_SIZE,
  }),
  seed: graphSeed<typeof fields, Row>({
    fields: GRAPH_FIELDS,
    transform: toDocuments,
    batch_size: SEARCH_SEED_PAGE_SIZE,
  }),
})
