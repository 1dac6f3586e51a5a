import { GraphQLError, type ExecutionResult } from "graphql"
import { isAsyncIterable, type Plugin } from "graphql-yoga"
import { recordThrottled } from "../../lib/metrics"
import type { BucketStore } from "../../rate-limit/bucket-store"
import type { TakeResult } from "../../rate-limit/leaky-bucket"
import { clientKey } from "../client-key"
import type { GraphQLContext, ServerContext } from "../context"
import { actualCost, requestedCost } from "../cost/operation-cost"
import { incrementalMerge, type IncrementalPart } from "../incremental"

/** `extensions.cost` of every response, in the shape Shopify's GraphQL APIs use. */
export function costExtension(store: BucketStore, requested: number, actual: number, bucket: TakeResult) {
  return {
    requestedQueryCost: requested,
    actualQueryCost: actual,
    throttleStatus: {
      maximumAvailable: store.limits.capacity,
      // Rounded down: a client never reads more points than it has.
      currentlyAvailable: Math.floor(bucket.available),
      restoreRate: store.limits.restoreRate,
    },
  }
}

function throttled(requested: number, bucket: TakeResult): GraphQLError {
  const seconds = Math.ceil(bucket.retryAfterMs / 1000)
  return new GraphQLError(
    `Throttled: this operation costs ${requested} points and ${Math.floor(bucket.available)} are available; ` +
      `retry in ${bucket.retryAfterMs} ms.`,
    {
      extensions: {
        code: "THROTTLED",
        /** Milliseconds until the bucket holds enough (Retry-After says it in whole seconds, rounded up). */
        retryAfter: bucket.retryAfterMs,
        http: { status: 429, headers: { "Retry-After": String(Math.max(1, seconds)) } },
      },
    }
  )
}

/**
 * Meters each client by what its operations cost (a leaky bucket, see
 * rate-limit/leaky-bucket.ts): before an operation runs its requested cost
 * is taken from the client's bucket, or it is refused with THROTTLED (429)
 * when the bucket holds less; after it ran, what it did not use (requested
 * minus actual cost) goes back; an operation that failed is charged for what
 * it ran, not for what its errors left of the answer. An answer in parts (@defer, @stream) is
 * settled on its last part, for all the parts merged. Listed after queryCostLimit, so that an
 * operation refused as too costly spends nothing. A subscription pays its
 * requested cost when it opens.
 */
export function rateLimit({ store }: { store: BucketStore }): Plugin<GraphQLContext & ServerContext> {
  return {
    async onExecute({ args, setResultAndStopExecution }) {
      const requested = requestedCost(args)
      if (requested === undefined) return
      const context = args.contextValue
      const key = clientKey(context.actor, context.req)
      const taken = await store.take(key, requested)
      if (!taken.allowed) {
        recordThrottled(context.actor.kind === "admin" ? "admin" : "store")
        setResultAndStopExecution({
          errors: [throttled(requested, taken)],
          extensions: { cost: costExtension(store, requested, 0, taken) },
        })
        return
      }
      /** What the answer cost, charged back to the bucket, as its extensions.cost. */
      const settle = async (answer: Pick<ExecutionResult, "data" | "errors">) => {
        const actual = actualCost(args, requested, answer)
        const bucket = actual < requested ? await store.take(key, actual - requested) : taken
        return costExtension(store, requested, actual, bucket)
      }
      return {
        async onExecuteDone({ result, setResult }) {
          if (isAsyncIterable(result)) {
            // @defer / @stream: the answer is every part merged; its cost is
            // settled on the last part, which carries extensions.cost. A
            // client that leaves before the end keeps the whole estimate spent.
            const answer = incrementalMerge()
            return {
              async onNext({ result: part, setResult: setPart }) {
                answer.add(part as IncrementalPart)
                if ((part as IncrementalPart).hasNext !== false) return
                const cost = await settle(answer.result())
                setPart({ ...part, extensions: { ...part.extensions, cost } })
              },
            }
          }
          const done = result as ExecutionResult
          setResult({ ...done, extensions: { ...done.extensions, cost: await settle(done) } })
        },
      }
    },
    // A subscription is charged its requested cost once, when it opens:
    // its events follow writes, not the client, and how many streams a
    // client holds is limited (subscriptionLimit).
    async onSubscribe({ args, setResultAndStopExecution }) {
      const requested = requestedCost(args)
      if (requested === undefined) return
      const context = args.contextValue
      const taken = await store.take(clientKey(context.actor, context.req), requested)
      if (taken.allowed) return
      recordThrottled(context.actor.kind === "admin" ? "admin" : "store")
      setResultAndStopExecution({
        errors: [throttled(requested, taken)],
        extensions: { cost: costExtension(store, requested, 0, taken) },
      })
    },
  }
}
