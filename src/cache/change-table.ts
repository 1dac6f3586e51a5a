import {
  buildEventNamesFromEntityName,
  PricingEvents,
  ProductCategoryWorkflowEvents,
  ProductCollectionWorkflowEvents,
  ProductOptionWorkflowEvents,
  ProductOptionValueWorkflowEvents,
  ProductTagWorkflowEvents,
  ProductTypeWorkflowEvents,
  ProductVariantWorkflowEvents,
  ProductWorkflowEvents,
  RegionWorkflowEvents,
  SalesChannelWorkflowEvents,
} from "@medusajs/framework/utils"
import { ALL, TAGS } from "./tags"

/**
 * The one rule of what a change drops: every writer (a GraphQL mutation, an
 * admin REST write, Medusa's events from workflows run anywhere, link
 * attach/detach, a search index write) names what it touched here, and the
 * cached answers tagged with it are purged. Nothing else is.
 */

/** Medusa's module events for the app's Brand module (`brand.brand.updated`, …). */
export const BrandEvents = buildEventNamesFromEntityName(["brand"], "brand") as Record<"BRAND_CREATED" | "BRAND_UPDATED" | "BRAND_DELETED", string>

/** Module links name their events `<entity>.attached|detached`; their payload is the link row's id. */
const KEY_SALES_CHANNEL_LINK = "LinkPublishableApiKeySalesChannel"
/** Links that decide where a variant's stock is counted: a channel's locations, a variant's inventory items. */
const STOCK_LINKS = ["LinkSalesChannelStockLocation", "LinkProductVariantInventoryItem"]
const linkEvents = (entity: string) => [`${entity}.attached`, `${entity}.detached`]

type EventRule = (ids: string[]) => string[]

const ownRecords: EventRule = (ids) => ids
const recordsAndProductLists: EventRule = (ids) => [...ids, TAGS.products]
const recordsAndBrandLists: EventRule = (ids) => [...ids, TAGS.brands]

/** What each event touches, from the ids in its payload. */
export const EVENT_RULES: Record<string, EventRule> = {
  // A product's create, update or delete can move it into or out of any list.
  ...rules(Object.values(ProductWorkflowEvents), recordsAndProductLists),
  ...rules(Object.values(ProductVariantWorkflowEvents), ownRecords),
  ...rules([...Object.values(ProductOptionWorkflowEvents), ...Object.values(ProductOptionValueWorkflowEvents)], ownRecords),
  ...rules(Object.values(ProductTypeWorkflowEvents), ownRecords),
  // Lists filter by category, collection and tag.
  ...rules(
    [
      ...Object.values(ProductCategoryWorkflowEvents),
      ...Object.values(ProductCollectionWorkflowEvents),
      ...Object.values(ProductTagWorkflowEvents),
    ],
    recordsAndProductLists
  ),
  [BrandEvents.BRAND_CREATED]: recordsAndBrandLists,
  [BrandEvents.BRAND_UPDATED]: recordsAndBrandLists,
  // A deleted brand's products lose it: their lists and the brand's.
  [BrandEvents.BRAND_DELETED]: (ids) => [...ids, TAGS.brands, TAGS.products],
  ...rules([...Object.values(PricingEvents), ...Object.values(RegionWorkflowEvents)], () => [TAGS.prices]),
  ...rules([...Object.values(SalesChannelWorkflowEvents), ...linkEvents(KEY_SALES_CHANNEL_LINK)], () => [TAGS.access]),
  // A channel's stock locations, or a variant's inventory items, changed: any stock can have.
  ...rules(STOCK_LINKS.flatMap(linkEvents), () => [TAGS.stock]),
}

/**
 * Inventory events (items, levels, reservations) name only their records:
 * the variants linked to them are read (see stock-event-ids.ts). Every
 * answer holding a variant's stock carries the variant's id (a product's
 * availability, its options' too: answer-tags.ts), so a product's answers
 * without stock stay.
 */
export { STOCK_EVENTS } from "./stock-event-ids"

/** What a change to these variants' stock touches. */
export function stockChanged(variantIds: string[]): string[] {
  return [...variantIds]
}

/**
 * Translation events name only their translation rows: the records they
 * translate are read (see translation-event-ids.ts). Every answer showing a
 * record's text carries the record's id, in whatever locale; a translation
 * moves no record in or out of a list (filters and order use the stored text).
 */
export { TRANSLATION_EVENTS } from "./translation-event-ids"

/** What a change to these records' translations touches. */
export function translationsChanged(recordIds: string[]): string[] {
  return [...recordIds]
}

/**
 * A product's links (to its brand, to a sales channel) name only their row:
 * its product is read from the link, as the search index does (see
 * subscribers/catalog-changes.ts).
 */
export { PRODUCT_LINK_EVENTS } from "../search/product-event-ids"

/** What a product's link changing (its brand, a sales channel) touches. */
export function productLinkChanged(productIds: string[], otherIds: string[]): string[] {
  return [...productIds, ...otherIds, TAGS.products]
}

/** What an index write touches: search answers, whose hits the index decides. */
export const SEARCH_INDEX_WRITTEN = [TAGS.search]

/** What each of the app's mutations touches, from its arguments. Any other mutation touches everything. */
export function mutationTags(field: string, args: Record<string, unknown>): string[] {
  const id = (name: string) => (typeof args[name] === "string" ? [args[name] as string] : [])
  switch (field) {
    case "brandCreate":
      return [TAGS.brands]
    case "brandUpdate":
      return [...id("id"), TAGS.brands]
    case "brandDelete":
      return [...id("id"), TAGS.brands, TAGS.products]
    case "productSetBrand":
      return productLinkChanged(id("productId"), id("brandId"))
    case "productUnsetBrand":
      return productLinkChanged(id("productId"), [])
    default:
      return [ALL]
  }
}

/** Admin REST resources that change nothing a catalog read shows. */
const NEUTRAL_RESOURCES = new Set([
  "auth", "campaigns", "claims", "customer-groups", "customers", "draft-orders", "exchanges", "fulfillments",
  "invites", "notifications", "order-edits", "orders", "payments", "promotions", "refund-reasons",
  "return-reasons", "returns", "shipping-options", "shipping-profiles", "tax-rates",
  "tax-regions", "uploads", "users", "workflows-executions",
])

/** Admin REST resources, by the first segment after /admin, and the lists they hold. */
const RESOURCE_LISTS: Record<string, string[]> = {
  products: [TAGS.products],
  brands: [TAGS.brands, TAGS.products],
  "product-categories": [TAGS.products],
  collections: [TAGS.products],
  "product-tags": [TAGS.products],
  "product-types": [],
  "price-lists": [TAGS.prices],
  "price-preferences": [TAGS.prices],
  regions: [TAGS.prices],
  currencies: [TAGS.prices],
  stores: [TAGS.access, TAGS.prices],
  "api-keys": [TAGS.access],
  "sales-channels": [TAGS.access],
  // Stock: levels, reservations, and which locations a channel sells from. (Orders and
  // fulfillments change reservations too: their inventory events purge what they touched.)
  "inventory-items": [TAGS.stock],
  reservations: [TAGS.stock],
  "stock-locations": [TAGS.stock],
  // A batch of translations names its records in the body, not the path (its
  // events purge just those, once handled); settings change which fields of
  // every record are translated. Before the write answers: everything.
  translations: [ALL],
}

const MEDUSA_ID = /^[a-z]+(_[a-z]+)?_[0-9A-Z]{26}$/

/**
 * What an admin REST write touches, from its path: the records its path
 * names and the lists of its resource. A route of an unknown resource
 * touches everything.
 */
export function adminWriteTags(path: string): string[] {
  const segments = path.split("?")[0].split("/").filter(Boolean)
  const resource = segments[1] ?? ""
  if (NEUTRAL_RESOURCES.has(resource)) return []
  const lists = RESOURCE_LISTS[resource]
  if (!lists) return [ALL]
  return [...segments.filter((s) => MEDUSA_ID.test(s)), ...lists]
}

function rules(names: string[], rule: EventRule): Record<string, EventRule> {
  return Object.fromEntries(names.map((name) => [name, rule]))
}
