import type Redis from "ioredis"
import { failFastRedis } from "../lib/fail-fast-redis"
import type { BucketStore } from "./bucket-store"
import type { BucketLimits, TakeResult } from "./leaky-bucket"

/**
 * leaky-bucket.ts's `take` as one Lua script, so that a take or refund is
 * atomic across every instance sharing the Redis. Redis's own clock (TIME)
 * is used, so that instances whose clocks differ still agree. A bucket is a
 * hash {a: points, t: ms}; it expires when it would be full again, since a
 * full bucket and none are the same. Numbers go back as strings: Redis would
 * truncate Lua's fractions to integers.
 */
const TAKE_SCRIPT = `
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local amount = tonumber(ARGV[3])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000
local level = capacity
local state = redis.call('HMGET', KEYS[1], 'a', 't')
if state[1] and state[2] then
  local elapsed = math.max(0, now - tonumber(state[2])) / 1000
  level = math.min(capacity, tonumber(state[1]) + elapsed * rate)
end
if amount > 0 and level < amount then
  return {0, string.format('%.17g', level), math.ceil((amount - level) / rate * 1000)}
end
level = math.min(capacity, level - amount)
local ttl = math.ceil((capacity - level) / rate * 1000)
if ttl <= 0 then
  redis.call('DEL', KEYS[1])
else
  redis.call('HSET', KEYS[1], 'a', string.format('%.17g', level), 't', string.format('%.17g', now))
  redis.call('PEXPIRE', KEYS[1], ttl)
end
return {1, string.format('%.17g', level), 0}
`

type ClientWithTake = Redis & {
  bucketTake(key: string, capacity: number, restoreRate: number, amount: number): Promise<[number, string, number]>
}

/** Buckets in Redis under `prefix`, shared by every instance that uses the same Redis and prefix. */
export class RedisBucketStore implements BucketStore {
  private readonly client: ClientWithTake

  constructor(
    readonly limits: BucketLimits,
    options: { url: string; prefix: string }
  ) {
    // A rate limiter that waits for a Redis that is gone would stall every
    // request: fail fast, and let the caller fail open.
    const client = failFastRedis(options.url, options.prefix)
    client.defineCommand("bucketTake", { numberOfKeys: 1, lua: TAKE_SCRIPT })
    this.client = client as ClientWithTake
  }

  async take(key: string, amount: number): Promise<TakeResult> {
    const [allowed, available, retryAfterMs] = await this.client.bucketTake(
      key,
      this.limits.capacity,
      this.limits.restoreRate,
      amount
    )
    return { allowed: allowed === 1, available: Number(available), retryAfterMs: Number(retryAfterMs) }
  }

  disconnect(): void {
    this.client.disconnect()
  }
}
