import { getOperationAST, type DocumentNode, type ExecutionArgs, type ExecutionResult, type GraphQLSchema } from "graphql"
import { getVariableValues } from "graphql/execution/values"
import { getComplexity } from "graphql-query-complexity"
import { LRUCache } from "lru-cache"
import { costEstimators } from "./estimators"
import { returnedPageSizes } from "./returned-page-sizes"

type CostArgs = Pick<ExecutionArgs, "schema" | "document" | "operationName" | "variableValues">

const requestedCosts = new WeakMap<object, number | null>()

/**
 * Costs computed before, per parsed document (Yoga hands the same one for
 * the same text), by operation and the values of the variables it declares:
 * a cost depends on nothing else.
 */
const costsByDocument = new WeakMap<object, LRUCache<string, { cost: number | null }>>()
const COSTS_PER_DOCUMENT = 100

function complexity(
  args: CostArgs,
  estimators = costEstimators(args.schema as GraphQLSchema, args.document as DocumentNode)
): number {
  return getComplexity({
    schema: args.schema as GraphQLSchema,
    query: args.document as DocumentNode,
    operationName: args.operationName ?? undefined,
    // As sent: getComplexity coerces them itself.
    variables: (args.variableValues ?? {}) as Record<string, unknown>,
    estimators,
  })
}

/**
 * The operation's estimated cost before it runs, with its variables applied,
 * so that `first: $n` counts as much as `first: 100`. Computed once per
 * execution (the same `args` object) and shared by the plugins that need it:
 * the cost limit and the rate limit. Undefined when there is no operation to
 * cost or its variables do not fit it (execution reports those as the
 * client's error).
 */
export function requestedCost(args: CostArgs): number | undefined {
  if (requestedCosts.has(args)) return requestedCosts.get(args) ?? undefined
  const operation = getOperationAST(args.document, args.operationName)
  let cost: number | null = null
  if (operation) {
    const variables = (args.variableValues ?? {}) as Record<string, unknown>
    const declared = (operation.variableDefinitions ?? []).map((d) => d.variable.name.value)
    // A variable left out and one sent as null are told apart.
    const key = JSON.stringify([args.operationName ?? "", declared.map((name) => (name in variables ? [variables[name]] : []))])
    let costs = costsByDocument.get(args.document)
    if (!costs) costsByDocument.set(args.document, (costs = new LRUCache({ max: COSTS_PER_DOCUMENT })))
    const known = costs.get(key)
    if (known) cost = known.cost
    else {
      if (!getVariableValues(args.schema, operation.variableDefinitions ?? [], variables).errors) cost = complexity(args)
      costs.set(key, { cost })
    }
  }
  requestedCosts.set(args, cost)
  return cost ?? undefined
}

/**
 * What the operation really cost, from its result: the same estimate with
 * each connection (a `@listSize` field with `sizedFields`) counted at the
 * most nodes its pages returned (at least 1) instead of its page size.
 * String filters, scans and id lists count in full: they were run whatever
 * came back. A result with errors tells only part of what ran: a connection
 * it lacks or holds as null (an error nulled it, or its parent, or all of
 * `data`) counts at its requested size, so that a query is not refunded for
 * the work an error threw away. Never above `requested`.
 */
export function actualCost(args: CostArgs, requested: number, result: Pick<ExecutionResult, "data" | "errors">): number {
  const operation = getOperationAST(args.document, args.operationName)
  if (!operation) return requested
  const failed = Boolean(result.errors?.length)
  const returned = returnedPageSizes(args.document, operation, result.data)
  const estimators = costEstimators(args.schema as GraphQLSchema, args.document as DocumentNode, (node, size, sizedFields) => {
    const count = returned(node, sizedFields)
    if (count === undefined) return failed ? size : 1
    return Math.min(size, Math.max(1, count))
  })
  const cost = complexity(args, estimators)
  return Math.min(cost, requested)
}
