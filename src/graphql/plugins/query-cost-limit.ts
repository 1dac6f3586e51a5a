import { GraphQLError, type ExecutionResult } from "graphql"
import type { Plugin } from "graphql-yoga"
import { requestedCost } from "../cost/operation-cost"

/**
 * Refuses an operation whose estimated cost (cost/operation-cost.ts)
 * exceeds `maxCost` before it runs. Checked at execution time, with the
 * variables, so that `first: $n` counts as much as `first: 100`.
 */
export function queryCostLimit({ maxCost }: { maxCost: number }): Plugin {
  const check = ({ args, setResultAndStopExecution }: { args: Parameters<typeof requestedCost>[0]; setResultAndStopExecution: (r: ExecutionResult) => void }) => {
    const cost = requestedCost(args)
    if (cost !== undefined && cost > maxCost) {
      setResultAndStopExecution({
        errors: [
          new GraphQLError(
            `Query cost ${cost} exceeds the limit of ${maxCost}: ask for smaller pages, fewer nested lists or fewer string filters.`,
            { extensions: { code: "QUERY_TOO_COSTLY", cost, maxCost, http: { status: 400 } } }
          ),
        ],
      })
    }
  }
  // A subscription's selection is read once per event: it is held to the same limit.
  return { onExecute: check, onSubscribe: check }
}
