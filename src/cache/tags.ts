/**
 * The tags a cached answer carries and a change purges. Records are tagged
 * by their own Medusa id (`prod_…`, `brand_…`, `variant_…`: ids are unique
 * across the catalog); the other tags name what a record id cannot:
 */
export const TAGS = {
  /** Every list of products (`products`, `Brand.products`, search hits, a look-up by handle). */
  products: "products",
  /** Every list of brands (`brands`, a look-up by handle). */
  brands: "brands",
  /** Every search answer: the index follows writes on its own time. */
  search: "search",
  /** Every answer holding a price: prices, price lists and regions are changed by id of their own. */
  prices: "prices",
  /** Every answer holding stock (availableForSale, quantityAvailable): for changes that can move any variant's. */
  stock: "stock",
  /** Every answer: what publishable keys and sales channels let a storefront see. */
  access: "access",
} as const

export { ALL } from "./answer-store"
