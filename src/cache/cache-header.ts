/** The header every GraphQL response carries: how it was answered (HIT, MISS, or BYPASS with the reason; see docs/caching.md). */
export const CACHE_HEADER = "x-cache"
