import type { BucketLimits, TakeResult } from "./leaky-bucket"

/**
 * Where buckets live, by client key: in this process, or in Redis so that
 * every instance meters the same budget. A negative amount refunds.
 */
export interface BucketStore {
  readonly limits: BucketLimits
  take(key: string, amount: number): Promise<TakeResult>
}
