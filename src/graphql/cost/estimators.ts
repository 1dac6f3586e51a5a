import { getDirective } from "@graphql-tools/utils"
import type { FieldNode, GraphQLField, GraphQLSchema } from "graphql"
import { simpleEstimator, type ComplexityEstimator } from "graphql-query-complexity"
import { stringFilterCost } from "./string-filter-cost"

/** The arguments of a field's `@listSize` directive (schema/common.graphql). */
export type ListSize = {
  /** The arguments that give the size, first given wins: a number, or a list whose length it is. */
  sizeArgs: string[]
  /** The size when none of sizeArgs is given. */
  defaultSize: number
  /** The most the field can return; sizes are kept within 1..maxSize. */
  maxSize: number
  /** The child fields that hold the items (a connection's nodes and edges), for the actual cost. */
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
 * A field with `@listSize` (a connection, `nodes(ids:)`) costs its size
 * times what each item costs, plus its string filters: a page of 100 brands
 * with 100 products each is 10,000 products, whatever the query's text looks
 * like. Arguments come with the variables applied. Lists without the
 * directive are not multiplied: their size is bounded by their parent.
 */
function listSizeEstimator(schema: GraphQLSchema, pageSizeOf: PageSizeOf): ComplexityEstimator {
  return ({ field, node, args, childComplexity }) => {
    const listSize = listSizeOf(schema, field)
    if (!listSize) return undefined
    const requested = requestedSize(listSize, args)
    // Without sizedFields the list is the field itself, each item looked up whatever came back.
    const size = listSize.sizedFields?.length ? pageSizeOf(node, requested, listSize.sizedFields) : requested
    return 1 + stringFilterCost(field.args, args) + size * childComplexity
  }
}

/** The estimators, in order: the first that returns a number decides a field's cost. */
export function costEstimators(
  schema: GraphQLSchema,
  pageSizeOf: PageSizeOf = (_, requested) => requested
): ComplexityEstimator[] {
  return [listSizeEstimator(schema, pageSizeOf), simpleEstimator({ defaultComplexity: 1 })]
}
