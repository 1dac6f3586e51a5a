import type { BucketStore } from "./bucket-store"
import { levelAt, take, type BucketLimits, type BucketState, type TakeResult } from "./leaky-bucket"

/** Buckets kept at most, so that requests from ever new addresses cannot grow memory without bound. */
export const DEFAULT_MAX_BUCKETS = 50_000

/**
 * Buckets in this process's memory. A full bucket is the same as none, so
 * full ones are dropped when the map outgrows `maxBuckets`; if that is not
 * enough (many clients spending at once), the least recently used go, and
 * those clients start over with a full bucket.
 */
export class MemoryBucketStore implements BucketStore {
  private readonly buckets = new Map<string, BucketState>()

  constructor(
    readonly limits: BucketLimits,
    private readonly options: { maxBuckets?: number; now?: () => number } = {}
  ) {}

  async take(key: string, amount: number): Promise<TakeResult> {
    const now = this.now()
    const next = take(this.buckets.get(key), amount, now, this.limits)
    // Re-inserted so that the map's order is least recently used first.
    this.buckets.delete(key)
    this.buckets.set(key, next.state)
    if (this.buckets.size > this.maxBuckets) this.evict(now)
    return next.result
  }

  /** How many buckets are kept (for tests and diagnostics). */
  get size(): number {
    return this.buckets.size
  }

  private get maxBuckets() {
    return this.options.maxBuckets ?? DEFAULT_MAX_BUCKETS
  }

  private now() {
    return this.options.now ? this.options.now() : Date.now()
  }

  private evict(now: number) {
    for (const [key, state] of this.buckets) {
      if (levelAt(state, now, this.limits) >= this.limits.capacity) this.buckets.delete(key)
    }
    // Down to 90%, so that a flood of new clients does not sweep on every request.
    const target = Math.floor(this.maxBuckets * 0.9)
    for (const key of this.buckets.keys()) {
      if (this.buckets.size <= target) break
      this.buckets.delete(key)
    }
  }
}
