import { getDirective } from "@graphql-tools/utils"
import type { DocumentNode, FieldNode, GraphQLField, GraphQLSchema } from "graphql"
import type { ComplexityEstimator } from "graphql-query-complexity"
import { scanCost } from "./scan-cost"
import { fieldsOf, fragmentsOf } from "./selection-fields"
import { stringFilterCost } from "./string-filter-cost"

/** The arguments of a field's `@listSize` directive (schema/common.graphql). */
export type ListSize = {
  /** The arguments that give the size, first given wins: a number, or a list whose length it is. */
  sizeArgs: string[]
  /** The size when none of sizeArgs is given. */
  defaultSize: number
  /** The most the field can return; sizes are kept within 1..maxSize. */
  maxSize: number
  /**
   * The child fields that hold the items (a connection's nodes and edges):
   * only they count once per item, the rest of the selection (totalCount,
   * pageInfo, facets) once; and the actual cost counts what they returned.
   */
  sizedFields?: string[]
}

/**
 * The size a list field is counted at. Requested: the size its arguments
 * ask for. Actual: the most items its `sizedFields` returned (see
 * returned-page-sizes), never more than requested.
 */
export type PageSizeOf = (node: FieldNode, requested: number, sizedFields: readonly string[]) => number

const listSizes = new WeakMap<GraphQLField<unknown, unknown>, ListSize | null>()

/** The field's `@listSize`, if it has one. */
export function listSizeOf(schema: GraphQLSchema, field: GraphQLField<unknown, unknown>): ListSize | undefined {
  let listSize = listSizes.get(field)
  if (listSize === undefined) {
    listSize = (getDirective(schema, field, "listSize")?.[0] as ListSize | undefined) ?? null
    listSizes.set(field, listSize)
  }
  return listSize ?? undefined
}

/** The size asked for: the first of sizeArgs given (a number or a list's length), else the default, within 1..maxSize. */
function requestedSize(listSize: ListSize, args: Record<string, unknown>): number {
  const given = listSize.sizeArgs.map((name) => args[name]).find((value) => value != null)
  const asked = Array.isArray(given) ? given.length : typeof given === "number" ? given : listSize.defaultSize
  // Sizes out of range fail in the resolver with BAD_USER_INPUT; count them as the nearest a list can be.
  return Math.min(Math.max(asked, 1), listSize.maxSize)
}

/**
 * The estimators, in order: the first that returns a number decides a
 * field's cost. Every field costs 1, plus the scan it runs (scan-cost.ts),
 * plus what it selects. A field with `@listSize` (a connection,
 * `nodes(ids:)`, a facet list) costs its size times what each item costs,
 * plus its string filters: a page of 100 brands with 100 products each is
 * 10,000 products, whatever the query's text looks like. With sizedFields
 * only those children are multiplied: a search's facets and counts are
 * computed once per search, not once per hit. Arguments come with the
 * variables applied. Lists without the directive are not multiplied: their
 * size is bounded by their parent.
 *
 * `document` is the operation's, for the fragments a connection's selection
 * spreads.
 */
export function costEstimators(
  schema: GraphQLSchema,
  document: DocumentNode,
  pageSizeOf: PageSizeOf = (_, requested) => requested
): ComplexityEstimator[] {
  const fragments = fragmentsOf(document)
  // Each field's cost as computed, children before their parent: a
  // connection splits its children's total into items and the rest. A field
  // node costs the same wherever a fragment puts it (its subtree and the
  // variables decide), and one left out by @skip/@include is never computed.
  const costs = new Map<FieldNode, number>()
  const estimator: ComplexityEstimator = ({ type, field, node, args, childComplexity }) => {
    let cost = 1 + scanCost(type.name, field.name)
    const listSize = listSizeOf(schema, field)
    if (!listSize) cost += childComplexity
    else {
      const requested = requestedSize(listSize, args)
      cost += stringFilterCost(field.args, args)
      const sizedFields = listSize.sizedFields ?? []
      if (!sizedFields.length || !node.selectionSet) cost += requested * childComplexity
      else {
        let items = 0
        for (const child of fieldsOf(node.selectionSet, fragments)) {
          if (sizedFields.includes(child.name.value)) items += costs.get(child) ?? 0
        }
        // A fragment spread left out here but kept elsewhere: never below the children's total.
        items = Math.min(items, childComplexity)
        cost += childComplexity - items + pageSizeOf(node, requested, sizedFields) * items
      }
    }
    costs.set(node, cost)
    return cost
  }
  return [estimator]
}
