import { STRING_FILTER_COST } from "./string-filter-cost"

/**
 * Fields whose work grows with the catalog rather than with what they
 * return: each is charged once, where it appears, on top of what it selects.
 * A scan is priced as a `contains` filter, the API's other pass over every
 * candidate row.
 */
export const SCAN_COST = {
  /**
   * A search: the full-text match and the count of every match (the search
   * counts whatever is selected), and, when nothing matches as typed, a
   * second pass over every document with typos tolerated. Charged whether or
   * not that pass runs: the client cannot know beforehand, and neither can
   * the estimate.
   */
  search: STRING_FILTER_COST.contains,
  /** One facet list (brands, categories, prices): an aggregation over every match, each under its own filters. */
  facet: STRING_FILTER_COST.contains,
} as const

/** Scans by field coordinate (`Type.field`). */
const SCANS: Record<string, number> = {
  "Query.searchProducts": SCAN_COST.search,
  "ProductSearchFacets.brands": SCAN_COST.facet,
  "ProductSearchFacets.categories": SCAN_COST.facet,
  "ProductSearchFacets.prices": SCAN_COST.facet,
}

/** What a field adds for the scan it runs, 0 for most. */
export function scanCost(typeName: string, fieldName: string): number {
  return SCANS[`${typeName}.${fieldName}`] ?? 0
}
