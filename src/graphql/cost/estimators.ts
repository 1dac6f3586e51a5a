import type { FieldNode } from "graphql"
import { simpleEstimator, type ComplexityEstimator } from "graphql-query-complexity"
import { MAX_LIST_SIZE } from "../../catalog/filters"
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from "../../catalog/keyset"
import { stringFilterCost } from "./string-filter-cost"

/**
 * The page size a connection is counted at. Requested: the page size asked
 * for. Actual: the most nodes its pages returned (see returned-page-sizes),
 * never more than requested.
 */
export type PageSizeOf = (node: FieldNode, requested: number) => number

/**
 * A connection costs its page size times what each node costs, plus its
 * string filters: a page of 100 brands with 100 products each is 10,000
 * products, whatever the query's text looks like. Arguments come with the
 * variables applied.
 */
function connectionEstimator(pageSizeOf: PageSizeOf): ComplexityEstimator {
  return ({ field, node, args, childComplexity }) => {
    if (!field.type.toString().endsWith("Connection!")) return undefined
    const asked = (args.first ?? args.last ?? DEFAULT_PAGE_SIZE) as number
    // Sizes out of 0..100 fail in the resolver with BAD_USER_INPUT; count them as the most a page can be.
    const requested = Math.min(Math.max(asked, 1), MAX_PAGE_SIZE)
    return 1 + stringFilterCost(field.args, args) + pageSizeOf(node, requested) * childComplexity
  }
}

/** A list looked up by ids (`nodes(ids:)`) costs one node per id: each is looked up, found or not. */
const idListEstimator: ComplexityEstimator = ({ args, childComplexity }) => {
  if (!Array.isArray(args.ids)) return undefined
  return 1 + Math.min(Math.max(args.ids.length, 1), MAX_LIST_SIZE) * childComplexity
}

/** The estimators, in order: the first that returns a number decides a field's cost. */
export function costEstimators(pageSizeOf: PageSizeOf = (_, requested) => requested): ComplexityEstimator[] {
  return [connectionEstimator(pageSizeOf), idListEstimator, simpleEstimator({ defaultComplexity: 1 })]
}
