import {
  getNamedType,
  getNullableType,
  isInputObjectType,
  isListType,
  type GraphQLArgument,
  type GraphQLInputType,
} from "graphql"

/**
 * What string filters add to the cost of the field they filter. A
 * `contains` is a case-insensitive substring match that no index serves: a
 * scan of every candidate row, however small the page. `eq` and `in` values
 * are lookups, cheaper, but each value is one more. Long strings cost a
 * little more, per character compared.
 */
export const STRING_FILTER_COST = {
  /** Fixed cost of a `contains`: a scan. */
  contains: 1000,
  /** Cost of each `eq` value and each value of an `in` list. */
  value: 10,
  /** One more point per this many characters of any filter string. */
  charactersPerPoint: 10,
} as const

const STRING_FILTER = "StringFilter"

const lengthCost = (text: unknown) =>
  typeof text === "string" ? Math.ceil(text.length / STRING_FILTER_COST.charactersPerPoint) : 0

/** The cost of one StringFilter value (`{ eq, in, contains }`). */
export function stringFilterValueCost(filter: { eq?: unknown; in?: unknown; contains?: unknown } | null | undefined): number {
  if (!filter) return 0
  let cost = 0
  if (typeof filter.contains === "string") cost += STRING_FILTER_COST.contains + lengthCost(filter.contains)
  if (typeof filter.eq === "string") cost += STRING_FILTER_COST.value + lengthCost(filter.eq)
  if (Array.isArray(filter.in)) {
    for (const value of filter.in) cost += STRING_FILTER_COST.value + lengthCost(value)
  }
  return cost
}

/** The cost of every StringFilter found in a value of `type`, however deep in input objects and lists. */
function inputCost(type: GraphQLInputType, value: unknown): number {
  if (value == null) return 0
  const nullable = getNullableType(type)
  if (isListType(nullable)) {
    return Array.isArray(value) ? value.reduce((sum: number, item) => sum + inputCost(nullable.ofType, item), 0) : 0
  }
  const named = getNamedType(nullable)
  if (!isInputObjectType(named) || typeof value !== "object") return 0
  if (named.name === STRING_FILTER) return stringFilterValueCost(value as Record<string, unknown>)
  let cost = 0
  for (const field of Object.values(named.getFields())) cost += inputCost(field.type, (value as Record<string, unknown>)[field.name])
  return cost
}

/** What the string filters among a field's (coerced) arguments add to its cost. */
export function stringFilterCost(argDefs: readonly GraphQLArgument[], args: Record<string, unknown>): number {
  let cost = 0
  for (const arg of argDefs) cost += inputCost(arg.type, args[arg.name])
  return cost
}
