/**
 * Names shared by the product search index (src/search/product.ts) and the
 * catalog's search. Kept apart from the index definition: importing that
 * file registers the index, which only Medusa's loader should do.
 */
export const PRODUCT_SEARCH_INDEX = "product"

/** Currencies whose lowest variant price the index keeps (filter and order by price). */
export const SEARCH_PRICE_CURRENCIES = ["eur", "usd"] as const
