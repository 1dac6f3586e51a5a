import type { BucketStore } from "./bucket-store"
import { failOpen } from "./fail-open"
import type { BucketLimits } from "./leaky-bucket"
import { MemoryBucketStore } from "./memory-bucket-store"
import { RedisBucketStore } from "./redis-bucket-store"

/** After REDIS_PREFIX: the buckets' part of the app's keys in Redis. */
export const BUCKET_KEY_PREFIX = "rl:"

/**
 * Buckets in Redis when there is one, so that every instance meters the same
 * budget (failing open when Redis does not answer); else in this process.
 */
export function createBucketStore(
  limits: BucketLimits,
  options: {
    redisUrl?: string
    /** REDIS_PREFIX: the app's part of a shared Redis. */
    redisPrefix: string
    maxClients: number
    logger: { warn: (message: string) => void }
  }
): BucketStore {
  if (!options.redisUrl) return new MemoryBucketStore(limits, { maxBuckets: options.maxClients })
  return failOpen(new RedisBucketStore(limits, { url: options.redisUrl, prefix: `${options.redisPrefix}${BUCKET_KEY_PREFIX}` }), options.logger)
}
