import { loadAppConfig } from "../lib/config"
import { failFastRedis } from "../lib/fail-fast-redis"
import { publishCatalogChange } from "../subscriptions/catalog-pubsub"
import type { AnswerStore } from "./answer-store"
import { purgeEdge } from "./edge-purger"
import { memoryAnswerStore } from "./memory-answer-store"
import { redisAnswerStore } from "./redis-answer-store"

type Logger = { warn: (message: string) => void }

export type ResponseCacheSettings = ReturnType<typeof loadAppConfig>["responseCache"]

/** The answer cache of this process: its settings and its store. */
export type ResponseCacheRuntime = { settings: ResponseCacheSettings; store: AnswerStore }

/** After REDIS_PREFIX: the answers' part of the app's keys in Redis. */
export const ANSWER_KEY_PREFIX = "rc:"

/** Longest a read may take and still store its answer; longer ones are answered but not kept. */
const MAX_READ_MS = 60_000

let runtime: ResponseCacheRuntime | null | undefined

/**
 * The process's answer cache, built on first use from the settings
 * (RESPONSE_CACHE*, REDIS_URL); null when it is turned off. The GraphQL
 * server, the admin write fence, the event subscriber and the search
 * provider share it, so that a purge from any of them reaches every answer.
 */
export function responseCacheRuntime(): ResponseCacheRuntime | null {
  if (runtime !== undefined) return runtime
  const { responseCache: settings, redisUrl, redisPrefix } = loadAppConfig()
  if (!settings.enabled) return (runtime = null)
  const options = { ...settings, maxReadMs: MAX_READ_MS }
  const store = redisUrl
    ? redisAnswerStore(failFastRedis(redisUrl, `${redisPrefix}${ANSWER_KEY_PREFIX}`), options)
    : memoryAnswerStore(options)
  return (runtime = { settings, store })
}

/**
 * Drops the cached answers tagged with any of `tags` (see change-table.ts),
 * in the app's store and in the HTTP caches in front (edge-purger.ts),
 * and tells the subscribers of every instance what changed
 * (subscriptions/catalog-pubsub.ts). A failure (Redis out of reach) is
 * logged, not thrown: the change is already made, and answers expire after
 * their TTL.
 */
export async function purgeAnswers(tags: readonly string[], logger?: Logger): Promise<void> {
  publishCatalogChange(tags, logger)
  const cache = responseCacheRuntime()
  if (!cache || !tags.length) return
  try {
    await cache.store.purge([...new Set(tags)])
  } catch (error) {
    logger?.warn(`Response cache: could not drop answers after a change (${(error as Error).message}); they expire after their TTL.`)
  }
  // Then the HTTP cache in front (after the store: what it fetches next must not be an old answer).
  await purgeEdge(tags, logger)
}
