import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import Redis from "ioredis"
import { failOpen } from "../../src/rate-limit/fail-open"
import { RedisBucketStore } from "../../src/rate-limit/redis-bucket-store"
import { clientKey } from "../../src/graphql/client-key"
import { gql } from "../helpers/graphql"
import { costing, throttleStatus } from "../helpers/rate-limit"
import { PUBLISHABLE_KEY_HEADER, useStorefrontKey } from "../helpers/storefront"
import { redisIsUp, redisKeys, TEST_REDIS_URL } from "../helpers/redis"

jest.setTimeout(120 * 1000)

// As redis.spec.ts: medusa-config reads REDIS_URL before the runner's `env` applies.
// This run's keys stay apart from other runs' on the shared Redis; buckets sit under "rl:".
const redisPrefix = `test-${process.pid}-${Date.now()}:`
const prefix = `${redisPrefix}rl:`
const env = {
  REDIS_URL: TEST_REDIS_URL,
  REDIS_PREFIX: redisPrefix,
  GRAPHQL_MAX_COST: "1000",
  GRAPHQL_RATE_LIMIT_CAPACITY: "1000",
  GRAPHQL_RATE_LIMIT_RESTORE_RATE: "1",
}
Object.assign(process.env, env)

const up = redisIsUp()
if (!up && !process.env.CI) console.warn(`No Redis at ${TEST_REDIS_URL}: skipping the Redis-backed rate limit tests.`)
const describeWithRedis = up || process.env.CI ? describe : describe.skip

medusaIntegrationTestRunner({
  inApp: true,
  env,
  testSuite: ({ api, getContainer }) => {
    let bucket = ""
    beforeAll(async () => {
      const token = await useStorefrontKey(api, getContainer())
      bucket = clientKey({ kind: "anonymous" }, { ip: "10.0.9.1", headers: { [PUBLISHABLE_KEY_HEADER]: token } })
    })

    describeWithRedis("rate limits with REDIS_URL (every instance shares the buckets)", () => {
      it("keeps each client's bucket in Redis, under the prefix and with a TTL, and spends one budget across instances", async () => {
        const client = { "x-forwarded-for": "10.0.9.1" }
        const first = await gql(api, ...costing(300), client)
        expect(first.body.extensions.cost.throttleStatus).toEqual(throttleStatus(700))

        // The bucket is in Redis, under the prefix, and vanishes once it would be full again.
        const keys = await redisKeys(`${prefix}*`)
        expect(keys).toEqual([`${prefix}${bucket}`])
        const redis = new Redis(TEST_REDIS_URL)
        try {
          expect(Math.floor(Number(await redis.hget(keys[0], "a")))).toBe(700)
          const ttl = await redis.pttl(keys[0])
          expect(ttl).toBeGreaterThan(295_000) // 300 points at 1 a second
          expect(ttl).toBeLessThanOrEqual(300_000)
        } finally {
          redis.disconnect()
        }

        // Another instance (its own store and connection) spends from the same bucket...
        const otherInstance = new RedisBucketStore({ capacity: 1000, restoreRate: 1 }, { url: TEST_REDIS_URL, prefix })
        try {
          expect(Math.floor((await otherInstance.take(bucket, 600)).available)).toBe(100)
        } finally {
          otherInstance.disconnect()
        }
        // ...and this one sees it.
        const over = await gql(api, ...costing(101), client)
        expect({ status: over.status, cost: over.body.extensions.cost.throttleStatus }).toEqual({
          status: 429,
          cost: throttleStatus(100),
        })
        const exact = await gql(api, ...costing(100), client)
        expect({ status: exact.status, cost: exact.body.extensions.cost.throttleStatus }).toEqual({
          status: 200,
          cost: throttleStatus(0),
        })
      })

      it("refunds in Redis what a half-empty page did not use", async () => {
        const client = { "x-forwarded-for": "10.0.9.2" }
        const res = await gql(api, `{ products(first: 100) { nodes { id } } }`, {}, client)
        // An empty catalog here: the page returns nothing and counts as one node.
        expect(res.data.products.nodes).toEqual([])
        expect(res.body.extensions.cost).toEqual({
          requestedQueryCost: 1 + 100 * 2,
          actualQueryCost: 1 + 1 * 2,
          throttleStatus: throttleStatus(997),
        })
      })
    })

    it("serves without limits when the store fails, and says so once", async () => {
      const warnings: string[] = []
      // A port nothing listens on.
      const broken = new RedisBucketStore({ capacity: 1000, restoreRate: 1 }, { url: "redis://localhost:1", prefix })
      const store = failOpen(broken, { warn: (message) => warnings.push(message) })
      try {
        for (let i = 0; i < 3; i++) {
          expect(await store.take("store:-:10.0.9.3", 2000)).toEqual({ allowed: true, available: 1000, retryAfterMs: 0 })
        }
        expect(warnings).toHaveLength(1)
        expect(warnings[0]).toMatch(/serving without rate limits/)
      } finally {
        broken.disconnect()
      }
    })
  },
})
