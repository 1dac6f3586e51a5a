/**
 * A leaky bucket of cost points, as Shopify meters its GraphQL APIs: a
 * bucket holds at most `capacity` points and refills at `restoreRate` points
 * per second; a request takes what it may cost and gets back, afterwards,
 * what it did not use. Pure arithmetic on a state and a clock, so that the
 * in-memory store, the Redis script and the tests agree on one rule.
 */
export type BucketLimits = {
  /** The most points a bucket holds: a new or idle client starts full. */
  capacity: number
  /** Points restored per second. */
  restoreRate: number
}

/** A bucket as last written: its points then, and when (ms since the epoch). */
export type BucketState = { available: number; updatedAt: number }

/** What a take (or refund) left behind. */
export type TakeResult = {
  allowed: boolean
  /** Points in the bucket after the take (before it, when refused). */
  available: number
  /** When refused: milliseconds until the bucket holds enough, else 0. */
  retryAfterMs: number
}

/** The points a bucket holds at `now`: what it had plus what has leaked back in, at most `capacity`. */
export function levelAt(state: BucketState | undefined, now: number, limits: BucketLimits): number {
  if (!state) return limits.capacity
  // A clock that steps back restores nothing (rather than draining the bucket).
  const elapsed = Math.max(0, now - state.updatedAt) / 1000
  return Math.min(limits.capacity, state.available + elapsed * limits.restoreRate)
}

/**
 * Takes `amount` points if the bucket holds them, else leaves it as it is
 * and says how long until it would. A negative amount is a refund: it always
 * succeeds, and never fills the bucket above its capacity.
 */
export function take(
  state: BucketState | undefined,
  amount: number,
  now: number,
  limits: BucketLimits
): { state: BucketState; result: TakeResult } {
  const level = levelAt(state, now, limits)
  if (amount > 0 && level < amount) {
    const retryAfterMs = Math.ceil(((amount - level) / limits.restoreRate) * 1000)
    return { state: { available: level, updatedAt: now }, result: { allowed: false, available: level, retryAfterMs } }
  }
  const available = Math.min(limits.capacity, level - amount)
  return { state: { available, updatedAt: now }, result: { allowed: true, available, retryAfterMs: 0 } }
}

/** Milliseconds until a bucket with `available` points is full again (and may be forgotten). */
export function msUntilFull(available: number, limits: BucketLimits): number {
  return Math.ceil((Math.max(0, limits.capacity - available) / limits.restoreRate) * 1000)
}
