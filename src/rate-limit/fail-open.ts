import type { BucketStore } from "./bucket-store"
import type { TakeResult } from "./leaky-bucket"

type Logger = { warn: (message: string) => void }

/**
 * A store whose errors let the request through, as if its bucket were full:
 * a rate limiter whose backing store is down must not take the API down with
 * it. The first error of an outage is logged, the rest are not, until the
 * store answers again.
 */
export function failOpen(store: BucketStore, logger: Logger): BucketStore {
  let failing = false
  return {
    limits: store.limits,
    async take(key: string, amount: number): Promise<TakeResult> {
      try {
        const result = await store.take(key, amount)
        failing = false
        return result
      } catch (error) {
        if (!failing) {
          failing = true
          logger.warn(`Rate limit store failed; serving without rate limits until it answers: ${(error as Error).message}`)
        }
        return { allowed: true, available: store.limits.capacity, retryAfterMs: 0 }
      }
    },
  }
}
