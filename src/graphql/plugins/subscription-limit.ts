import { GraphQLError } from "graphql"
import { isAsyncIterable, type Plugin } from "graphql-yoga"
import { isShuttingDown } from "../../subscriptions/open-streams"
import { clientKey } from "../client-key"
import type { GraphQLContext, ServerContext } from "../context"

/**
 * At most `maxPerClient` open subscriptions per client (as the rate limit
 * tells clients apart: an admin, or a publishable key and an address) on
 * this instance; one more is refused with SUBSCRIPTION_LIMIT (429) before it
 * runs or spends any budget. A process shutting down opens none
 * (SHUTTING_DOWN, 503).
 */
export function subscriptionLimit({ maxPerClient }: { maxPerClient: number }): Plugin<GraphQLContext & ServerContext> {
  const open = new Map<string, number>()
  return {
    onSubscribe({ args, setResultAndStopExecution }) {
      if (isShuttingDown()) {
        setResultAndStopExecution({
          errors: [new GraphQLError("The server is shutting down: subscribe again.", { extensions: { code: "SHUTTING_DOWN", http: { status: 503 } } })],
        })
        return
      }
      const key = clientKey(args.contextValue.actor, args.contextValue.req)
      const count = open.get(key) ?? 0
      if (count >= maxPerClient) {
        setResultAndStopExecution({
          errors: [
            new GraphQLError(`At most ${maxPerClient} subscriptions may be open at once; end one first.`, {
              extensions: { code: "SUBSCRIPTION_LIMIT", limit: maxPerClient, http: { status: 429 } },
            }),
          ],
        })
        return
      }
      open.set(key, count + 1)
      let released = false
      const release = () => {
        if (released) return
        released = true
        const left = (open.get(key) ?? 1) - 1
        if (left > 0) open.set(key, left)
        else open.delete(key)
      }
      return {
        onSubscribeResult({ result }) {
          // Refused later (cost, budget, an error): no stream was opened.
          if (!isAsyncIterable(result)) return release()
          return { onEnd: release }
        },
        onSubscribeError: release,
      }
    },
  }
}
