// /metrics (Prometheus, behind METRICS_TOKEN), /ready (PostgreSQL and Redis),
// and request ids. The server runs against a redis-server of this file's own,
// which a test stops and starts again; the machine's shared Redis and
// PostgreSQL are never touched.
import { createServer, type Server } from "node:net"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { postgresCheck, readiness } from "../../src/lib/readiness"
import { costing } from "../helpers/rate-limit"
import { freePort, hasRedisServer, REDIS_SERVER_PATH, startOwnRedis } from "../helpers/redis-server"
import { gql } from "../helpers/graphql"
import { useStorefrontKey } from "../helpers/storefront"

jest.setTimeout(120 * 1000)

const TOKEN = "metrics-test-token"
const READY_TIMEOUT_MS = 500
// Read where used (medusa-config, the routes), so setting them here is enough.
const env = {
  METRICS_TOKEN: TOKEN,
  METRICS_MAX_OPERATION_NAMES: "3",
  READY_TIMEOUT_MS: String(READY_TIMEOUT_MS),
  GRAPHQL_MAX_COST: "1000",
  GRAPHQL_RATE_LIMIT_CAPACITY: "1000",
  GRAPHQL_RATE_LIMIT_RESTORE_RATE: "1",
}
Object.assign(process.env, env)

if (!hasRedisServer()) console.warn(`No ${REDIS_SERVER_PATH}: the server runs without Redis and the Redis readiness test is skipped.`)
const itWithRedis = hasRedisServer() ? it : it.skip

let redis: Awaited<ReturnType<typeof startOwnRedis>> | undefined
// Before the runner's own beforeAll, which loads medusa-config (and so REDIS_URL).
beforeAll(async () => {
  if (!hasRedisServer()) return
  redis = await startOwnRedis()
  process.env.REDIS_URL = redis.url
})

/** Prometheus' text format as `name{labels}` → value. */
function parseMetrics(text: string): Map<string, number> {
  const samples = new Map<string, number>()
  for (const line of text.split("\n")) {
    const match = /^([a-zA-Z_:][\w:]*(?:\{[^}]*\})?) (\S+)$/.exec(line)
    if (match) samples.set(match[1], Number(match[2]))
  }
  return samples
}

medusaIntegrationTestRunner({
  inApp: true,
  env,
  testSuite: ({ api, getContainer, dbConnection }) => {
    const scrape = async () => {
      const res = await api.get("/metrics", { headers: { authorization: `Bearer ${TOKEN}` } })
      return parseMetrics(res.data)
    }

    beforeAll(async () => {
      await useStorefrontKey(api, getContainer())
    })

    describe("/metrics", () => {
      it("is closed: 404 without METRICS_TOKEN, 401 without the token or with another", async () => {
        delete process.env.METRICS_TOKEN
        try {
          const hidden = await api.get("/metrics", { headers: { authorization: `Bearer ${TOKEN}` }, validateStatus: () => true })
          expect(hidden.status).toBe(404)
        } finally {
          process.env.METRICS_TOKEN = TOKEN
        }
        for (const authorization of [undefined, "Bearer wrong-token", `Basic ${Buffer.from(`${TOKEN}:`).toString("base64")}`]) {
          const res = await api.get("/metrics", { headers: authorization ? { authorization } : {}, validateStatus: () => true })
          expect(res.status).toBe(401)
          expect(res.headers["www-authenticate"]).toMatch(/^Bearer/)
          expect(JSON.stringify(res.data)).not.toContain("graphql_")
        }
        const open = await api.get("/metrics", { headers: { authorization: `Bearer ${TOKEN}` } })
        expect(open.headers["content-type"]).toMatch(/^text\/plain/)
        expect(open.data).toContain("process_resident_memory_bytes")
      })

      it("times operations by name, counts errors by code, throttled requests and response cache hits and misses", async () => {
        const brands = `query BrandList { brands(first: 2) { nodes { id } } }`
        expect((await gql(api, brands)).status).toBe(200)
        // An error of the caller's (a malformed cursor) and one of a missing key.
        await gql(api, `query BadCursor { brands(first: 1, after: "nope") { nodes { id } } }`)
        await gql(api, brands, {}, { "x-publishable-api-key": "" })
        // A client that spends its whole bucket, then asks for more.
        const client = { "x-forwarded-for": "10.0.7.1" }
        expect((await gql(api, ...costing(1000), client)).status).toBe(200)
        expect((await gql(api, ...costing(2), client)).status).toBe(429)

        let metrics = await scrape()
        expect(metrics.get('graphql_envelop_request_duration_seconds_count{operationName="BrandList",operationType="query"}')).toBe(2)
        expect(metrics.get('graphql_envelop_request_total{operationName="BrandList",operationType="query"}')).toBe(2)
        expect(
          metrics.get('graphql_yoga_http_duration_seconds_count{operationName="BrandList",operationType="query",method="POST",statusCode="401"}')
        ).toBe(1)
        expect(metrics.get('graphql_errors_total{code="BAD_USER_INPUT"}')).toBe(1)
        expect(metrics.get('graphql_errors_total{code="PUBLISHABLE_KEY_REQUIRED"}')).toBe(1)
        expect(metrics.get('graphql_errors_total{code="THROTTLED"}')).toBe(1)
        expect(metrics.get('graphql_throttled_requests_total{client="store"}')).toBe(1)

        // A new read is a miss of the response cache; the same read again, a hit.
        const count = (m: Map<string, number>, result: string) => m.get(`cache_lookups_total{cache="response",result="${result}"}`) ?? 0
        const read = `query CachedRead { brands(first: 3, orderBy: { field: NAME }) { nodes { id name } } }`
        const before = metrics
        await gql(api, read)
        const missed = await scrape()
        expect(count(missed, "miss")).toBe(count(before, "miss") + 1)
        expect(count(missed, "hit")).toBe(count(before, "hit"))
        await gql(api, read)
        const hit = await scrape()
        expect(count(hit, "hit")).toBe(count(before, "hit") + 1)
        expect(count(hit, "miss")).toBe(count(missed, "miss"))
        // A cached answer is timed like any other: it went through the same server.
        const timed = (m: Map<string, number>) =>
          [...m].filter(([k]) => k.startsWith("graphql_yoga_http_duration_seconds_count{")).reduce((sum, [, v]) => sum + v, 0)
        expect(timed(hit)).toBe(timed(missed) + 1)
      })

      it("labels at most METRICS_MAX_OPERATION_NAMES names; later ones count as other", async () => {
        for (const name of ["NameOne", "NameTwo", "NameThree", "NameFour", "NameFive"]) {
          await gql(api, `query ${name} { brands(first: 1) { nodes { id } } }`)
        }
        const names = [...(await scrape()).keys()]
          .filter((k) => k.startsWith("graphql_envelop_request_total{"))
          .map((k) => /operationName="([^"]*)"/.exec(k)![1])
        expect(names.length).toBeLessThanOrEqual(4)
        expect(names).toContain("other")
        expect(names).not.toContain("NameFive")
      })
    })

    describe("/ready", () => {
      itWithRedis("answers 200 with its checks, 503 while Redis is down, and 200 again once it is back", async () => {
        const ready = await api.get("/ready")
        expect(ready.status).toBe(200)
        expect(ready.headers["cache-control"]).toBe("no-store")
        expect(ready.data).toEqual({
          status: "ready",
          checks: {
            postgres: { status: "up", latencyMs: expect.any(Number) },
            redis: { status: "up", latencyMs: expect.any(Number) },
          },
        })

        await redis!.stop()
        // A result is reused for READY_TIMEOUT_MS: the next check runs afresh.
        await new Promise((r) => setTimeout(r, READY_TIMEOUT_MS))
        try {
          const started = Date.now()
          const down = await api.get("/ready", { validateStatus: () => true })
          expect(Date.now() - started).toBeLessThan(READY_TIMEOUT_MS + 1000)
          expect(down.status).toBe(503)
          expect(down.data.status).toBe("unavailable")
          expect(down.data.checks.postgres.status).toBe("up")
          expect(down.data.checks.redis).toMatchObject({ status: "down", error: expect.stringMatching(/^(failed|timeout)$/) })
          // No address or driver message reaches the caller.
          expect(JSON.stringify(down.data)).not.toMatch(/127\.0\.0\.1|ECONN|refused/i)
          // Liveness is another matter: the process is up.
          expect((await api.get("/health")).status).toBe(200)
        } finally {
          await redis!.start()
        }
        let again = 0
        for (let i = 0; i < 40 && again !== 200; i++) {
          again = (await api.get("/ready", { validateStatus: () => true })).status
          if (again !== 200) await new Promise((r) => setTimeout(r, 250))
        }
        expect(again).toBe(200)
      })

      it("answers a flood of 600 concurrent checks 200, all from shared results", async () => {
        const statuses = await Promise.all(
          Array.from({ length: 600 }, () => api.get("/ready", { validateStatus: () => true }).then((r) => r.status))
        )
        const counted: Record<number, number> = {}
        for (const status of statuses) counted[status] = (counted[status] ?? 0) + 1
        expect(counted).toEqual({ 200: 600 })
      })

      it("counts PostgreSQL down when it refuses connections, and when it does not answer in time", async () => {
        const up = await readiness([postgresCheck(dbConnection.client.config.connection, READY_TIMEOUT_MS)], READY_TIMEOUT_MS)
        expect(up.status).toBe("ready")

        const closed = `postgres://postgres@localhost:${await freePort()}/postgres`
        const refused = await readiness([postgresCheck({ connectionString: closed }, READY_TIMEOUT_MS)], READY_TIMEOUT_MS)
        expect(refused).toEqual({ status: "unavailable", checks: { postgres: { status: "down", latencyMs: expect.any(Number), error: "failed" } } })

        // A server that accepts connections and never answers (a hung database).
        const sockets: import("node:net").Socket[] = []
        const silent: Server = createServer((s) => sockets.push(s))
        await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r))
        try {
          const port = (silent.address() as { port: number }).port
          const started = Date.now()
          const hung = await readiness(
            [postgresCheck({ connectionString: `postgres://postgres@127.0.0.1:${port}/postgres` }, READY_TIMEOUT_MS)],
            READY_TIMEOUT_MS
          )
          expect(hung.checks.postgres).toMatchObject({ status: "down" })
          expect(Date.now() - started).toBeLessThan(READY_TIMEOUT_MS + 500)
        } finally {
          sockets.forEach((s) => s.destroy())
          silent.close()
        }
      })
    })

    describe("request ids", () => {
      it("echoes a caller's X-Request-Id, makes one otherwise, and puts it in the GraphQL error log", async () => {
        const given = await api.get("/ready", { headers: { "x-request-id": "edge-4f2a.17" } })
        expect(given.headers["x-request-id"]).toBe("edge-4f2a.17")
        const made = await api.get("/ready")
        expect(made.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/)
        // An id that could forge a log line or flood it is replaced.
        const odd = await api.get("/ready", { headers: { "x-request-id": `a b "c"${"x".repeat(200)}` } })
        expect(odd.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/)

        // An unexpected failure (a table gone) is logged with the request's id.
        const logger = getContainer().resolve(ContainerRegistrationKeys.LOGGER)
        const logged = jest.spyOn(logger, "error")
        let lines: string[] = []
        await dbConnection.raw("alter table brand rename to brand_away")
        try {
          const res = await api.post(
            "/graphql",
            { query: `{ brands(first: 2, filter: { name: { eq: "away" } }) { nodes { id } } }` },
            { headers: { "x-request-id": "trace-me-42" }, validateStatus: () => true }
          )
          expect(res.headers["x-request-id"]).toBe("trace-me-42")
          expect(res.data.errors[0]).toMatchObject({ message: "Unexpected error.", extensions: { code: "INTERNAL_SERVER_ERROR" } })
        } finally {
          await dbConnection.raw("alter table brand_away rename to brand")
          lines = logged.mock.calls.map((args) => String(args[0]))
          logged.mockRestore()
        }
        expect(lines.some((line) => line.startsWith("[request trace-me-42] GraphQL: "))).toBe(true)
      })
    })
  },
})

afterAll(async () => {
  await redis?.stop()
})
