import { levelAt, msUntilFull, take, type BucketState } from "../leaky-bucket"
import { MemoryBucketStore } from "../memory-bucket-store"

const limits = { capacity: 1000, restoreRate: 100 }

describe("leaky bucket", () => {
  it("starts full, takes what a request may cost, and refills at the restore rate up to the capacity", () => {
    let state: BucketState | undefined
    expect(levelAt(state, 0, limits)).toBe(1000)
    ;({ state } = take(state, 600, 0, limits))
    expect(state).toEqual({ available: 400, updatedAt: 0 })
    expect(levelAt(state, 500, limits)).toBe(450) // half a second: 50 points
    expect(levelAt(state, 6000, limits)).toBe(1000) // capped, not 1000 + 600 - 400
    expect(msUntilFull(400, limits)).toBe(6000)
  })

  it("runs a request that costs exactly what is left and refuses one more point, saying when it would run", () => {
    const { state } = take(undefined, 700, 0, limits)
    const exact = take(state, 300, 0, limits)
    expect(exact.result).toEqual({ allowed: true, available: 0, retryAfterMs: 0 })
    const over = take(exact.state, 1, 0, limits)
    expect(over.result).toEqual({ allowed: false, available: 0, retryAfterMs: 10 })
    // Refused, the bucket is as it was: the stated wait is enough.
    expect(take(over.state, 1, 9, limits).result.allowed).toBe(false)
    expect(take(over.state, 1, 10, limits).result).toEqual({ allowed: true, available: 0, retryAfterMs: 0 })
    // The wait is rounded up, never down.
    expect(take({ available: 0.5, updatedAt: 0 }, 1, 0, limits).result.retryAfterMs).toBe(5)
    expect(take({ available: 0, updatedAt: 0 }, 1, 0, { capacity: 10, restoreRate: 3 }).result.retryAfterMs).toBe(334)
  })

  it("refunds what was not used, never above the capacity", () => {
    const { state } = take(undefined, 500, 0, limits)
    expect(take(state, -200, 0, limits).result).toEqual({ allowed: true, available: 700, retryAfterMs: 0 })
    // Two seconds restored 200, so the refund of 400 fills it and no more.
    expect(take(state, -400, 2000, limits).result.available).toBe(1000)
    expect(take(undefined, -50, 0, limits).result.available).toBe(1000)
  })

  it("restores nothing when the clock steps back", () => {
    expect(levelAt({ available: 10, updatedAt: 5000 }, 4000, limits)).toBe(10)
  })
})

describe("MemoryBucketStore", () => {
  it("keeps one bucket per key on an injected clock", async () => {
    let now = 0
    const store = new MemoryBucketStore(limits, { now: () => now })
    expect((await store.take("a", 1000)).available).toBe(0)
    expect(await store.take("a", 1)).toEqual({ allowed: false, available: 0, retryAfterMs: 10 })
    expect((await store.take("b", 1)).available).toBe(999)
    now = 10
    expect((await store.take("a", 1)).allowed).toBe(true)
  })

  it("stays bounded under many clients: full buckets go first, then the least recently used", async () => {
    let now = 0
    const store = new MemoryBucketStore(limits, { maxBuckets: 100, now: () => now })
    for (let i = 0; i < 100; i++) await store.take(`old${i}`, 10)
    now = 1000 // every old bucket is full again
    await store.take("busy", 1000)
    await store.take("new", 10)
    expect(store.size).toBeLessThanOrEqual(100)
    expect(store.size).toBe(2)
    // None full: the least recently used go, down to 90%.
    for (let i = 0; i < 200; i++) await store.take(`spender${i}`, 1000)
    expect(store.size).toBeLessThanOrEqual(100)
    expect((await store.take("spender199", 1)).allowed).toBe(false) // recent: kept
  })
})
