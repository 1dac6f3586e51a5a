import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { seedDemoData } from "../../src/scripts/demo-data"
import { createAdmin } from "../helpers/admin"
import { errorCode, gql, type Headers } from "../helpers/graphql"
import { costing, throttleStatus } from "../helpers/rate-limit"
import { createPublishableKey, useStorefrontKey } from "../helpers/storefront"

jest.setTimeout(120 * 1000)

// A small bucket that refills slowly, so that its edges can be hit exactly:
// one point a second leaves a second between requests before a point comes back.
const env = {
  GRAPHQL_MAX_COST: "1000",
  GRAPHQL_RATE_LIMIT_CAPACITY: "1000",
  GRAPHQL_RATE_LIMIT_RESTORE_RATE: "1",
}
Object.assign(process.env, env)

// Medusa trusts one proxy hop (`trust proxy` 1), so req.ip is the last X-Forwarded-For address.
const from = (ip: string, headers: Headers = {}): Headers => ({ "x-forwarded-for": ip, ...headers })

medusaIntegrationTestRunner({
  inApp: true,
  env,
  testSuite: ({ api, getContainer }) => {
    beforeAll(async () => {
      await seedDemoData(getContainer())
      await useStorefrontKey(api, getContainer())
    })

    describe("rate limits by query cost", () => {
      it("charges an answer from the cache as the operation was charged, and refuses it when the budget is short", async () => {
        const [query, variables] = costing(600)
        const first = await gql(api, query, variables, from("10.0.9.1"))
        expect({ cache: first.headers["x-cache"], cost: first.body.extensions.cost }).toEqual({
          cache: "MISS",
          cost: { requestedQueryCost: 600, actualQueryCost: 600, throttleStatus: throttleStatus(400) },
        })
        // The same read again: its answer is kept, but the client has 400 points left.
        const again = await gql(api, query, variables, from("10.0.9.1"))
        expect({ status: again.status, code: errorCode(again), data: again.data ?? null }).toEqual({ status: 429, code: "THROTTLED", data: null })
        // Another client gets the kept answer, charged what it cost.
        const other = await gql(api, query, variables, from("10.0.9.2"))
        expect({ status: other.status, cache: other.headers["x-cache"], cost: other.body.extensions.cost }).toEqual({
          status: 200,
          cache: "HIT",
          cost: { requestedQueryCost: 600, actualQueryCost: 600, throttleStatus: throttleStatus(400) },
        })
      })

      it("runs an operation that costs exactly what is left, throttles one that costs more, and runs it after the stated wait", async () => {
        const client = from("10.0.1.1")
        const first = await gql(api, ...costing(600), client)
        expect({ status: first.status, errors: first.errors, cost: first.body.extensions.cost }).toEqual({
          status: 200,
          errors: undefined,
          cost: { requestedQueryCost: 600, actualQueryCost: 600, throttleStatus: throttleStatus(400) },
        })

        // One point more than is left: refused before it runs, and nothing is taken.
        const over = await gql(api, ...costing(401), client)
        expect({ status: over.status, code: errorCode(over), data: over.data ?? null, cost: over.body.extensions.cost }).toEqual({
          status: 429,
          code: "THROTTLED",
          data: null,
          cost: { requestedQueryCost: 401, actualQueryCost: 0, throttleStatus: throttleStatus(400) },
        })
        expect(over.headers["retry-after"]).toBe("1")
        expect(over.errors![0].extensions!.retryAfter).toBeGreaterThan(0)
        expect(over.errors![0].extensions!.retryAfter).toBeLessThanOrEqual(1000)

        // Exactly what is left runs, and empties the bucket.
        const exact = await gql(api, ...costing(400), client)
        expect({ status: exact.status, errors: exact.errors, cost: exact.body.extensions.cost }).toEqual({
          status: 200,
          errors: undefined,
          cost: { requestedQueryCost: 400, actualQueryCost: 400, throttleStatus: throttleStatus(0) },
        })
        const empty = await gql(api, ...costing(2), client)
        expect({ status: empty.status, code: errorCode(empty) }).toEqual({ status: 429, code: "THROTTLED" })
        const retryAfter = empty.errors![0].extensions!.retryAfter
        // Two points at one a second: most of two seconds, stated in whole seconds rounded up.
        expect(retryAfter).toBeGreaterThan(1000)
        expect(retryAfter).toBeLessThanOrEqual(2000)
        expect(empty.headers["retry-after"]).toBe("2")

        await new Promise((resolve) => setTimeout(resolve, retryAfter))
        const later = await gql(api, ...costing(2), client)
        expect({ status: later.status, errors: later.errors }).toEqual({ status: 200, errors: undefined })
        expect(later.body.extensions.cost.throttleStatus.currentlyAvailable).toBe(0)
      })

      it("refunds what a half-empty page did not use, and reports the cost on every response", async () => {
        const client = from("10.0.2.1")
        const res = await gql(api, `{ brands(first: 20) { nodes { id name } } }`, {}, client)
        expect(res.errors).toBeUndefined()
        const returned = res.data.brands.nodes.length
        expect(returned).toBeGreaterThan(0)
        expect(returned).toBeLessThan(20)
        // A connection: 1 + page size × (nodes 1 + id 1 + name 1), at 20 asked and at what came back.
        const actual = 1 + returned * 3
        expect(res.body.extensions.cost).toEqual({
          requestedQueryCost: 1 + 20 * 3,
          actualQueryCost: actual,
          throttleStatus: throttleStatus(1000 - actual),
        })

        // Refused as too costly: nothing is taken from the bucket.
        const tooCostly = await gql(api, `{ brands(first: 100) { nodes { products(first: 100) { nodes { id } } } } }`, {}, client)
        expect({ status: tooCostly.status, code: errorCode(tooCostly) }).toEqual({ status: 400, code: "QUERY_TOO_COSTLY" })
        const next = await gql(api, ...costing(2), client)
        expect(next.body.extensions.cost.throttleStatus).toEqual(throttleStatus(1000 - actual - 2))
      })

      it("charges an operation that failed for what it ran, not for what its error left of the answer", async () => {
        const client = from("10.0.4.1")
        // An extra page over the limit fails in its resolver and nulls all of data beside a heavier selection.
        const heavy = `brands(first: 20) { nodes { id name products(first: 10) { nodes { id } } } }`
        const failing = await gql(api, `{ ${heavy} extra: products(first: 101) { nodes { id } } }`, {}, client)
        expect({ code: errorCode(failing), data: failing.data ?? null }).toEqual({ code: "BAD_USER_INPUT", data: null })
        // brands: 1 + 20 × (nodes 1 + id 1 + name 1 + products (1 + 10 × 2)); extra at its nearest size, 100.
        const requested = 1 + 20 * (3 + 21) + (1 + 100 * 2)
        expect(failing.body.extensions.cost).toEqual({
          requestedQueryCost: requested,
          actualQueryCost: requested,
          throttleStatus: throttleStatus(1000 - requested),
        })
        // The same selection without the error is refunded what its pages did not hold.
        const honest = await gql(api, `{ ${heavy} }`, {}, from("10.0.4.2"))
        expect(honest.errors).toBeUndefined()
        expect(honest.body.extensions.cost.actualQueryCost).toBeLessThan(honest.body.extensions.cost.requestedQueryCost)
      })

      it("keeps a bucket per address and publishable key, and one per admin wherever it calls from", async () => {
        const drained = await gql(api, ...costing(1000), from("10.0.3.1"))
        expect(drained.body.extensions.cost.throttleStatus).toEqual(throttleStatus(0))
        expect((await gql(api, ...costing(2), from("10.0.3.1"))).status).toBe(429)

        // Another address, or the same with a publishable key: buckets of their own.
        const otherAddress = await gql(api, ...costing(2), from("10.0.3.2"))
        expect(otherAddress.body.extensions.cost.throttleStatus).toEqual(throttleStatus(998))
        const { data: channels } = await getContainer()
          .resolve(ContainerRegistrationKeys.QUERY)
          .graph({ entity: "sales_channel", fields: ["id"] })
        const otherKey = await createPublishableKey(getContainer(), "Another storefront", channels.map((c: any) => c.id))
        const withKey = await gql(api, ...costing(2), from("10.0.3.1", { "x-publishable-api-key": otherKey.token }))
        expect(withKey.body.extensions.cost.throttleStatus).toEqual(throttleStatus(998))

        // An admin spends its own budget, from any address: not the address's.
        const one = await createAdmin(getContainer(), api, "one@test.local")
        const two = await createAdmin(getContainer(), api, "two@test.local")
        const asOne = await gql(api, ...costing(1000), from("10.0.3.1", one.headers))
        expect({ status: asOne.status, available: asOne.body.extensions.cost.throttleStatus.currentlyAvailable }).toEqual({
          status: 200,
          available: 0,
        })
        const oneElsewhere = await gql(api, ...costing(2), from("10.0.3.9", one.headers))
        expect({ status: oneElsewhere.status, code: errorCode(oneElsewhere) }).toEqual({ status: 429, code: "THROTTLED" })
        const asTwo = await gql(api, ...costing(2), from("10.0.3.1", two.headers))
        expect(asTwo.body.extensions.cost.throttleStatus).toEqual(throttleStatus(998))
      })
    })
  },
})
