import type { GraphQLSchema } from "graphql"
import { failOpen, type AnswerStore } from "../../lib/response-cache/response-store"
import type { ResponseCacheRuntime } from "../../lib/response-cache/runtime"
import { cachedAnswerFront } from "./front"
import { AnswersInFlight } from "./in-flight"
import { answerKeys } from "./keys"
import { responseCachePlugins } from "./plugin"

type Logger = { warn: (message: string) => void }

/**
 * The response cache of the GraphQL server: Yoga's plugins, and the front
 * that sends plain cached answers before Yoga. Both use one store and one
 * key. While the store is out of reach (Redis down), queries are answered
 * from the database; the first failure of an outage is logged.
 */
export function createResponseCache(options: { schema: GraphQLSchema; runtime: ResponseCacheRuntime; logger: Logger }) {
  let failing = false
  const onError = (error: unknown) => {
    if (failing) return
    failing = true
    options.logger.warn(`Response cache unavailable; answering without it: ${(error as Error).message}`)
    // Report the next outage too, once this one has had time to pass.
    setTimeout(() => (failing = false), 10_000).unref()
  }
  const inFlight = new AnswersInFlight(options.runtime.settings.maxWaitMs)
  const guarded = failOpen(options.runtime.store, onError)
  // An answer stored releases the requests waiting for it.
  const store: AnswerStore = {
    ...guarded,
    async set(key, ...rest) {
      await guarded.set(key, ...rest)
      inFlight.stored(key)
    },
  }
  const answerKey = answerKeys(options.schema, options.runtime, onError)
  return {
    plugins: responseCachePlugins({ store, answerKey, ttlSeconds: options.runtime.settings.ttlSeconds, logger: options.logger }),
    answerFromCache: cachedAnswerFront({ store, answerKey, inFlight }),
  }
}
