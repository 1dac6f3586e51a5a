import { randomUUID } from "node:crypto"
import type Redis from "ioredis"
import { assertReady } from "../lib/fail-fast-redis"
import { ALL, type AnswerStore, type Ticket } from "./answer-store"

// Keys, under the client's prefix: `a:<key>` an answer; `t:<tag>` the answer
// keys of a tag; `p:<tag>` the sequence number of the tag's last purge (kept
// as long as a read may take); `seq` the last purge's number; `epoch` a random
// value written once, so that after Redis loses its data (a flush, a failover
// to a replica that lagged) no ticket taken before can store an answer.

/** A ticket: the store's epoch (created when missing) and the last purge's number. */
const BEGIN = `
local e = redis.call('GET', KEYS[1])
if not e then e = ARGV[1]; redis.call('SET', KEYS[1], e) end
return {e, redis.call('GET', KEYS[2]) or '0'}`

/** KEYS: answer, epoch, then p:<tag>, t:<tag> per tag. ARGV: json, ttl ms, ticket epoch, ticket seq. */
const SET = `
if redis.call('GET', KEYS[2]) ~= ARGV[3] then return 0 end
local seq = tonumber(ARGV[4])
for i = 3, #KEYS, 2 do
  local purged = redis.call('GET', KEYS[i])
  if purged and tonumber(purged) > seq then return 0 end
end
local ttl = tonumber(ARGV[2])
redis.call('SET', KEYS[1], ARGV[1], 'PX', ttl)
for i = 4, #KEYS, 2 do
  redis.call('SADD', KEYS[i], KEYS[1])
  if redis.call('PTTL', KEYS[i]) < ttl then redis.call('PEXPIRE', KEYS[i], ttl) end
end
return 1`

/** KEYS: seq, then p:<tag>, t:<tag> per tag. ARGV: how long a purge is remembered, in ms. */
const PURGE = `
local seq = redis.call('INCR', KEYS[1])
for i = 2, #KEYS, 2 do
  redis.call('SET', KEYS[i], seq, 'PX', ARGV[1])
  local keys = redis.call('SMEMBERS', KEYS[i + 1])
  for j = 1, #keys, 500 do redis.call('UNLINK', unpack(keys, j, math.min(j + 499, #keys))) end
  redis.call('UNLINK', KEYS[i + 1])
end
return seq`

/**
 * Answers in Redis, shared by every instance: one script per operation, so
 * that a purge and a store never interleave. Commands fail fast while Redis
 * is out of reach; the caller then answers without the cache.
 */
export function redisAnswerStore(client: Redis, options: { maxEntryBytes: number; maxReadMs: number }): AnswerStore {
  // EVAL with the keys counted: the client's prefix is put before each of them.
  const run = (script: string, keys: string[], ...args: (string | number)[]) => client.eval(script, keys.length, ...keys, ...args)
  const tagKeys = (tags: readonly string[]) => tags.flatMap((tag) => [`p:${tag}`, `t:${tag}`])
  return {
    async begin(): Promise<Ticket> {
      assertReady(client)
      const [epoch, seq] = (await run(BEGIN, ["epoch", "seq"], randomUUID())) as [string, string]
      return { epoch, seq: Number(seq), at: Date.now() }
    },
    async get(key) {
      assertReady(client)
      return (await client.get(`a:${key}`)) ?? undefined
    },
    async set(key, json, tags, ttlMs, ticket) {
      if (Buffer.byteLength(json) > options.maxEntryBytes || Date.now() - ticket.at > options.maxReadMs) return false
      assertReady(client)
      const keys = [`a:${key}`, "epoch", ...tagKeys([...tags, ALL])]
      const stored = await run(SET, keys, json, Math.max(1, Math.round(ttlMs)), ticket.epoch, ticket.seq)
      return stored === 1
    },
    async purge(tags) {
      if (!tags.length) return
      assertReady(client)
      const keys = ["seq", ...tagKeys(tags)]
      await run(PURGE, keys, options.maxReadMs)
    },
  }
}
