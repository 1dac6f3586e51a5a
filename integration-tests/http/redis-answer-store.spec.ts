import { randomUUID } from "node:crypto"
import Redis from "ioredis"
import { redisAnswerStore } from "../../src/cache/redis-answer-store"
import { redisIsUp, TEST_REDIS_URL } from "../helpers/redis"

// The answer store in a real Redis, under a prefix of its own (the machine's
// Redis is shared: "losing its data" is deleting this prefix's keys).
const describeWithRedis = redisIsUp() ? describe : describe.skip

describeWithRedis("redisAnswerStore", () => {
  const prefix = `test-answers-${randomUUID()}:`
  const client = new Redis(TEST_REDIS_URL, { keyPrefix: prefix })
  const store = redisAnswerStore(client, { maxEntryBytes: 1 << 16, maxReadMs: 60_000 })
  const loseData = async () => {
    const keys = await new Redis(TEST_REDIS_URL).keys(`${prefix}*`)
    if (keys.length) await new Redis(TEST_REDIS_URL).del(...keys)
  }

  beforeAll(async () => {
    if (client.status !== "ready") await new Promise((resolve) => client.once("ready", resolve))
  })
  afterAll(async () => {
    await loseData()
    client.disconnect()
  })

  it("keeps an answer until a purge of one of its tags, and only that", async () => {
    const ticket = await store.begin()
    expect(await store.set("a", "A", ["prod_1", "products"], 60_000, ticket)).toBe(true)
    expect(await store.set("b", "B", ["brand_1"], 60_000, ticket)).toBe(true)
    await store.purge(["prod_1"])
    expect(await store.get("a")).toBeUndefined()
    expect(await store.get("b")).toBe("B")
  })

  it("does not keep a read that a purge of one of its tags raced", async () => {
    const ticket = await store.begin()
    await store.purge(["brand_9"])
    expect(await store.set("c", "stale", ["brand_9"], 60_000, ticket)).toBe(false)
    expect(await store.get("c")).toBeUndefined()
  })

  it("keeps nothing a read began before Redis lost its data, though the counters start again", async () => {
    const ticket = await store.begin()
    await loseData()
    // The purge counter starts again from nothing: only the epoch tells the ticket is old.
    expect(await store.set("d", "from before", ["prod_2"], 60_000, ticket)).toBe(false)
    const fresh = await store.begin()
    expect(fresh.epoch).not.toBe(ticket.epoch)
    expect(await store.set("d", "after", ["prod_2"], 60_000, fresh)).toBe(true)
    expect(await store.get("d")).toBe("after")
  })
})
