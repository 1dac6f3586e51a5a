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
   * look-up of its words in the dictionary and a second search for the
   * corrected query. Charged whether or not that runs: the client cannot
   * know beforehand, and neither can the estimate.
   */
  search: STRING_FILTER_COST.contains,
  /** One facet list (brands, categories, prices): an aggregation over every match, each under its own filters. */
  facet: STRING_FILTER_COST.contains,
  /**
   * Predictive search, asked on every keystroke: range scans of the
   * dictionary's and the brands' and categories' names (small), and one
   * index match for the products without a count or facets. A tenth of a
   * search, so that a shopper typing ten characters a second stays within
   * the default restore rate.
   */
  predictive: STRING_FILTER_COST.contains / 10,
} as const

/** Scans by field coordinate (`Type.field`). */
const SCANS: Record<string, number> = {
  "Query.searchProducts": SCAN_COST.search,
  "Query.predictiveSearch": SCAN_COST.predictive,
  "ProductSearchFacets.brands": SCAN_COST.facet,
  "ProductSearchFacets.categories": SCAN_COST.facet,
  "ProductSearchFacets.prices": SCAN_COST.facet,
}

/** What a field adds for the scan it runs, 0 for most. */
export function scanCost(typeName: string, fieldName: string): number {
  return SCANS[`${typeName}.${fieldName}`] ?? 0
}
