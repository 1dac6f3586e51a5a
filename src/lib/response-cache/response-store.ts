import type { Cache } from "@graphql-yoga/plugin-response-cache"
import type { ExecutionResult } from "graphql"
import type Redis from "ioredis"
import { LRUCache } from "lru-cache"

/**
 * Where whole answers are kept. Entries are never dropped one by one: a
 * change bumps the versions their keys hold (see catalog-versions.ts), so
 * `invalidate` has nothing to do, and old entries age out (TTL, LRU).
 */
type ResponseStore = Cache

const sizeOf = (result: ExecutionResult) => Buffer.byteLength(JSON.stringify(result))

/** Answers in this process's memory, at most `maxBytes` of them (as JSON), the least recently used dropped first. */
export function memoryResponseStore(options: { maxBytes: number; maxEntryBytes: number }): ResponseStore {
  const entries = new LRUCache<string, ExecutionResult>({
    maxSize: options.maxBytes,
    maxEntrySize: options.maxEntryBytes,
    sizeCalculation: sizeOf,
  })
  return {
    get: (key) => entries.get(key),
    set: (key, result, _entities, ttl) => void entries.set(key, result, { ttl: Number.isFinite(ttl) ? ttl : undefined }),
    invalidate: () => {},
  }
}

/**
 * Answers in Redis (under the client's key prefix), shared by every
 * instance; each expires after its TTL. Plain GET and SET: no scans, no sets
 * of keys. An answer larger than `maxEntryBytes` is not kept.
 */
export function redisResponseStore(client: Redis, options: { maxEntryBytes: number }): ResponseStore {
  return {
    async get(key) {
      const json = await client.get(`r:${key}`)
      return json ? (JSON.parse(json) as ExecutionResult) : undefined
    },
    async set(key, result, _entities, ttl) {
      const json = JSON.stringify(result)
      if (Buffer.byteLength(json) > options.maxEntryBytes) return
      await client.set(`r:${key}`, json, "PX", Math.max(1, Math.round(ttl)))
    },
    invalidate: () => {},
  }
}
