/**
 * Names shared by the product search index (product.ts) and the catalog's
 * search. Kept apart from the index definition: importing that file
 * registers the index, which only Medusa's loader should do (it imports this
 * one too, which registers nothing).
 */
export const PRODUCT_SEARCH_INDEX = "product"

/** Currencies whose lowest variant price the index keeps (filter and order by price). */
export const SEARCH_PRICE_CURRENCIES = ["eur", "usd"] as const

/**
 * Products read and written per page when the index is built (boot,
 * `npm run search:reindex`): each page costs a few statements whatever its
 * size, so pages of 1,000 (not 200) keep a 100,000-product build to minutes.
 */
export const SEARCH_SEED_PAGE_SIZE = 1000
