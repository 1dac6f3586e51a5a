import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { Modules } from "@medusajs/framework/utils"
import { createBrandsWorkflow } from "../../src/workflows/create-brands"
import { seedDemoData } from "../../src/scripts/demo-data"
import { createAdmin } from "../helpers/admin"
import { liveLinks } from "../helpers/db"
import { countStatements, gql, gqlData, type Headers } from "../helpers/graphql"
import { redisIsUp, redisKeys, TEST_REDIS_URL } from "../helpers/redis"
import { useStorefrontKey } from "../helpers/storefront"

jest.setTimeout(300 * 1000)

// medusa-config reads REDIS_URL when the test runner loads it, before the
// runner's own `env` applies: set it for the whole file.
process.env.REDIS_URL = TEST_REDIS_URL
// Cached reads of this run stay apart from those of earlier runs, whose
// databases held other data.
process.env.REDIS_PREFIX = `test-${process.pid}-${Date.now()}:`

// CI has Redis; elsewhere a machine without it skips these with a note.
const up = redisIsUp()
if (!up && !process.env.CI) console.warn(`No Redis at ${TEST_REDIS_URL}: skipping the Redis-backed tests.`)
const describeWithRedis = up || process.env.CI ? describe : describe.skip

/** Waits until the Redis event bus has no job waiting or running (BullMQ's counts), or the timeout. */
async function eventQueueDrained(container: any, timeoutMs: number) {
  const queue = (container.resolve(Modules.EVENT_BUS) as any).queue_
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; ) {
    const counts = await queue.getJobCounts("waiting", "active", "delayed", "prioritized")
    if (Object.values(counts).every((n) => n === 0)) return
    await new Promise((r) => setTimeout(r, 250))
  }
}

medusaIntegrationTestRunner({
  inApp: true,
  testSuite: ({ api, getContainer, dbConnection }) => {
    let adminHeaders: Headers

    beforeAll(async () => {
      await seedDemoData(getContainer())
      await useStorefrontKey(api, getContainer())
    })

    beforeEach(async () => {
      adminHeaders = (await createAdmin(getContainer(), api)).headers
    })

    describeWithRedis("with REDIS_URL (several instances share Redis)", () => {
      it("runs events, workflows, cached reads and locks through Redis", () => {
        const container = getContainer()
        expect(container.resolve(Modules.EVENT_BUS).constructor.name).toMatch(/Redis/)
        expect(container.resolve(Modules.WORKFLOW_ENGINE).constructor.name).toMatch(/Workflow/)
        const caching = container.resolve(Modules.CACHING) as any
        expect(caching.defaultProviderId).toBe("caching-redis")
        const locking = container.resolve(Modules.LOCKING) as any
        expect(locking.defaultProviderId).toMatch(/redis/)
      })

      it("answers from Redis what a fresh read answers, dates and cursors included", async () => {
        const query = `{ products(first: 5, orderBy: { field: CREATED_AT, direction: DESC }) {
          totalCount edges { cursor node { id createdAt updatedAt brand { id createdAt } } } } }`
        const fresh = await gqlData(api, query, {}, { "cache-control": "no-cache" })
        // The seed's events (and the search index's work on each) reach the Redis
        // event bus' worker for a while after it returned, and each may drop
        // cached lists: wait until its queue is empty, then read until a read is
        // answered from Redis alone (or give up after 30 s).
        await eventQueueDrained(getContainer(), 180_000)
        let answered: { result: any; statements: string[] } = { result: null, statements: ["none yet"] }
        for (const deadline = Date.now() + 30_000; answered.statements.length && Date.now() < deadline; ) {
          await gqlData(api, query)
          await new Promise((r) => setTimeout(r, 200))
          answered = await countStatements(() => gqlData(api, query))
        }
        expect(answered.statements).toEqual([])
        // Stored as JSON in Redis: dates come back as strings and must serialize the same.
        expect(answered.result).toEqual(fresh)
      })

      it("keeps answers in Redis and drops them, by the next read, when a product's brand changes", async () => {
        const { rows } = await dbConnection.raw(
          `select id from product where deleted_at is null and status = 'published' order by id limit 1`
        )
        const productId = rows[0].id
        const read = `query ($id: ID!) { product(id: $id) { brand { id } } }`
        const before = await gqlData(api, read, { id: productId })
        // The answer, and the answer keys of each tag it read (src/cache/redis-answer-store.ts), under "rc:".
        const keys = await redisKeys(`${process.env.REDIS_PREFIX}rc:*`)
        expect(keys.filter((k) => k.includes(":rc:a:")).length).toBeGreaterThan(0)
        expect(keys.filter((k) => k.includes(":rc:t:")).length).toBeGreaterThan(0)

        const { result } = await createBrandsWorkflow(getContainer()).run({ input: { brands: [{ name: "Redis Cached" }] } })
        const set = `mutation ($p: ID!, $b: ID!) { productSetBrand(productId: $p, brandId: $b) { userErrors { code } } }`
        await gqlData(api, set, { p: productId, b: result[0].id }, adminHeaders)
        const after = await gqlData(api, read, { id: productId })
        expect(after.product.brand).toEqual({ id: result[0].id })
        expect(after).not.toEqual(before)
      })

      it("20 concurrent productSetBrand calls under the Redis lock leave one live link", async () => {
        const { result } = await createBrandsWorkflow(getContainer()).run({
          input: { brands: Array.from({ length: 20 }, (_, i) => ({ name: `Shared Brand ${i}` })) },
        })
        const { rows } = await dbConnection.raw(`select id from product where deleted_at is null order by id limit 1`)
        const productId = rows[0].id
        const mutation = `mutation ($p: ID!, $b: ID!) { productSetBrand(productId: $p, brandId: $b) { userErrors { message } } }`
        const responses = await Promise.all(result.map((b) => gql(api, mutation, { p: productId, b: b.id }, adminHeaders)))
        for (const res of responses) {
          expect({ errors: res.errors, userErrors: res.data?.productSetBrand.userErrors }).toEqual({ errors: undefined, userErrors: [] })
        }
        const links = await liveLinks(dbConnection as any, { product_id: productId })
        expect(links).toHaveLength(1)
        expect(result.map((b) => b.id)).toContain(links[0].brand_id)
        const read = await gqlData(api, `query ($id: ID!) { product(id: $id) { brand { id } } }`, { id: productId }, adminHeaders)
        expect(read.product.brand).toEqual({ id: links[0].brand_id })
      })
    })
  },
})
