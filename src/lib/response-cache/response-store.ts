import type { ExecutionResult } from "graphql"
import type Redis from "ioredis"
import { LRUCache } from "lru-cache"
import { assertReady } from "../fail-fast-redis"

/**
 * Where whole answers are kept: the response cache's plugin reads and writes
 * them as results, the cache front (src/graphql/response-cache/front.ts)
 * sends them as the JSON they are sent as. Entries are never dropped one by
 * one: a change bumps the versions their keys hold (see
 * catalog-versions.ts), and old entries age out (TTL, LRU).
 */
export type AnswerStore = {
  get(key: string): Promise<ExecutionResult | undefined> | ExecutionResult | undefined
  getSerialized(key: string): Promise<string | undefined> | string | undefined
  /** Keeps `result` for `ttlMs`. */
  set(key: string, result: ExecutionResult, ttlMs: number): Promise<void> | void
}

/**
 * What is kept of an answer: its data. Its extensions are the request's own
 * (the cost it was charged, the caller's remaining budget); an answer found costs nothing and is charged to no budget.
 */
const kept = (result: ExecutionResult): ExecutionResult => ({ data: result.data })

/** Answers in this process's memory, at most `maxBytes` of them (as JSON), the least recently used dropped first. */
export function memoryAnswerStore(options: { maxBytes: number; maxEntryBytes: number }): AnswerStore {
  const entries = new LRUCache<string, { result: ExecutionResult; json: string }>({
    maxSize: options.maxBytes,
    maxEntrySize: options.maxEntryBytes,
    sizeCalculation: (entry) => Buffer.byteLength(entry.json),
  })
  return {
    get: (key) => entries.get(key)?.result,
    getSerialized: (key) => entries.get(key)?.json,
    set: (key, result, ttlMs) => {
      const answer = kept(result)
      entries.set(key, { result: answer, json: JSON.stringify(answer) }, { ttl: ttlMs })
    },
  }
}

/**
 * Answers in Redis (under the client's key prefix), shared by every
 * instance; each expires after its TTL. Plain GET and SET: no scans, no sets
 * of keys. An answer larger than `maxEntryBytes` is not kept.
 */
export function redisAnswerStore(client: Redis, options: { maxEntryBytes: number }): AnswerStore {
  const getSerialized = async (key: string) => {
    assertReady(client)
    return (await client.get(`r:${key}`)) ?? undefined
  }
  return {
    getSerialized,
    async get(key) {
      const json = await getSerialized(key)
      return json === undefined ? undefined : (JSON.parse(json) as ExecutionResult)
    },
    async set(key, result, ttlMs) {
      assertReady(client)
      const json = JSON.stringify(kept(result))
      if (Buffer.byteLength(json) > options.maxEntryBytes) return
      await client.set(`r:${key}`, json, "PX", Math.max(1, Math.round(ttlMs)))
    },
  }
}

/**
 * A store whose errors (Redis out of reach) read as misses and skipped
 * writes, so that queries are answered from the database meanwhile. The
 * first error of an outage is reported, the rest are not, until it answers.
 */
export function failOpen(store: AnswerStore, onError: (error: unknown) => void): AnswerStore {
  const guard = async <T>(run: () => Promise<T> | T, fallback: T): Promise<T> => {
    try {
      return await run()
    } catch (error) {
      onError(error)
      return fallback
    }
  }
  return {
    get: (key) => guard(() => store.get(key), undefined),
    getSerialized: (key) => guard(() => store.getSerialized(key), undefined),
    set: (...args) => guard(() => store.set(...args), undefined),
  }
}
