import { getOperationAST, GraphQLError } from "graphql"
import { getVariableValues } from "graphql/execution/values"
import type { Plugin } from "graphql-yoga"
import { getComplexity, simpleEstimator, type ComplexityEstimator } from "graphql-query-complexity"
import { MAX_LIST_SIZE } from "../planning/filters"
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from "../planning/pagination"

/**
 * A connection costs its page size times what each node costs: a page of
 * 100 brands with 100 products each is 10,000 products, whatever the query's
 * text looks like. Page sizes are read after variables are applied.
 */
const connectionEstimator: ComplexityEstimator = ({ field, args, childComplexity }) => {
  if (!field.type.toString().endsWith("Connection!")) return undefined
  const size = (args.first ?? args.last ?? DEFAULT_PAGE_SIZE) as number
  // Sizes out of 0..100 fail in the resolver with BAD_USER_INPUT; count them as the most a page can be.
  return 1 + Math.min(Math.max(size, 1), MAX_PAGE_SIZE) * childComplexity
}

/** A list looked up by ids (`nodes(ids:)`) costs one node per id. */
const idListEstimator: ComplexityEstimator = ({ args, childComplexity }) => {
  if (!Array.isArray(args.ids)) return undefined
  return 1 + Math.min(Math.max(args.ids.length, 1), MAX_LIST_SIZE) * childComplexity
}

/**
 * Refuses an operation whose estimated cost exceeds `maxCost` before it
 * runs. Checked at execution time, with the variables, so that
 * `first: $n` counts as much as `first: 100`. Variables that do not fit the
 * operation are left to execution, which reports them as the client's error.
 */
export function queryCostLimit({ maxCost }: { maxCost: number }): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const operation = getOperationAST(args.document, args.operationName)
      if (!operation) return
      const variables = (args.variableValues ?? {}) as Record<string, unknown>
      if (getVariableValues(args.schema, operation.variableDefinitions ?? [], variables).errors) return
      const cost = getComplexity({
        schema: args.schema,
        query: args.document,
        operationName: args.operationName ?? undefined,
        // As sent: getComplexity coerces them itself.
        variables,
        estimators: [connectionEstimator, idListEstimator, simpleEstimator({ defaultComplexity: 1 })],
      })
      if (cost > maxCost) {
        setResultAndStopExecution({
          errors: [
            new GraphQLError(
              `Query cost ${cost} exceeds the limit of ${maxCost}: ask for smaller pages or fewer nested lists.`,
              { extensions: { code: "QUERY_TOO_COSTLY", cost, maxCost, http: { status: 400 } } }
            ),
          ],
        })
      }
    },
  }
}
