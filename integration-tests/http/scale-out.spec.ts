// The production layout, scaled out: two servers (MEDUSA_WORKER_MODE=server)
// and one worker (MEDUSA_WORKER_MODE=worker), each a `medusa start` process of
// its own, on one PostgreSQL database and one Redis of the test's own (a
// redis-server on a free port), so that Medusa's Redis event bus, workflow
// engine, locking and caching modules and the rate limiter's buckets are
// shared between them. The database is migrated once, as a release step
// would (a copy of the suite's migrated template). Booting three servers takes most of the time (about a minute).
import { mkdirSync, writeFileSync } from "node:fs"
import { resolve } from "node:path"
import { Client } from "pg"
import { costing } from "../helpers/rate-limit"
import { adminToken, childEnv, startMedusa, type MedusaProcess } from "../helpers/medusa-process"
import { freePort, hasRedisServer, REDIS_SERVER_PATH, startOwnRedis } from "../helpers/redis-server"
import { cloneTemplateDatabase } from "../helpers/template-database"
import { dropTestDatabase, testDatabaseServer, testDatabaseUrl } from "../helpers/test-database-server"

jest.setTimeout(300 * 1000)

const JWT_SECRET = "scale-out-jwt-secret-0123456789abcdef"
// A search is priced as a scan (1,000 points and more): the budget holds one, and refills it in a few seconds.
// A budget large enough for the writes and reads of every test here on a fast
// machine, refilled slowly enough that the last test's second half-budget
// cannot come back between two requests (12.5 s at 200 points a second).
const RATE = { capacity: 5000, restoreRate: 200 }

const describeWithRedis = hasRedisServer() ? describe : describe.skip
if (!hasRedisServer()) console.warn(`No redis-server at ${REDIS_SERVER_PATH}: skipping the scale-out test.`)

type Answer = { status: number; body: any }

/** One request to one instance; never throws on a status. */
async function call(instance: MedusaProcess, path: string, init: { method?: string; headers?: Record<string, string>; body?: unknown } = {}): Promise<Answer> {
  const res = await fetch(`${instance.url}${path}`, {
    method: init.method ?? (init.body ? "POST" : "GET"),
    headers: { "content-type": "application/json", ...init.headers },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  })
  return { status: res.status, body: await res.json().catch(() => null) }
}

describeWithRedis("two servers and a worker on one PostgreSQL and one Redis", () => {
  const database = `scale_out_${process.pid}_${Date.now()}`
  const server = testDatabaseServer()
  const databaseUrl = testDatabaseUrl(database)
  let redis: Awaited<ReturnType<typeof startOwnRedis>> | undefined
  let a: MedusaProcess, b: MedusaProcess, worker: MedusaProcess
  const started: MedusaProcess[] = []
  let db: Client
  const admin = { authorization: `Bearer ${adminToken(JWT_SECRET)}` }
  let anonymous: Record<string, string>
  let productIds: string[] = []
  let brandIds: string[] = []

  const gql = (instance: MedusaProcess, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = admin) =>
    call(instance, "/graphql", { body: { query, variables }, headers })

  beforeAll(async () => {
    redis = await startOwnRedis()
    // Migrations are a release step, once before any instance starts: the
    // suite's migrated template stands for it (as `medusa db:migrate` made it).
    await cloneTemplateDatabase(database)

    const env = childEnv({
      DATABASE_URL: databaseUrl,
      REDIS_URL: redis.url,
      NODE_ENV: "production",
      JWT_SECRET,
      COOKIE_SECRET: JWT_SECRET,
      GRAPHQL_MAX_COST: String(RATE.capacity),
      // costing() spends a budget in aliases of at most 101 points each.
      GRAPHQL_MAX_ALIASES: "60",
      GRAPHQL_RATE_LIMIT_CAPACITY: String(RATE.capacity),
      GRAPHQL_RATE_LIMIT_RESTORE_RATE: String(RATE.restoreRate),
    })
    const ports = await Promise.all([freePort(), freePort(), freePort()])
    const boots = [
      startMedusa("worker", ports[0], { ...env, MEDUSA_WORKER_MODE: "worker" }),
      startMedusa("server A", ports[1], { ...env, MEDUSA_WORKER_MODE: "server" }),
      startMedusa("server B", ports[2], { ...env, MEDUSA_WORKER_MODE: "server" }),
    ]
    const results = await Promise.allSettled(boots)
    for (const r of results) if (r.status === "fulfilled") started.push(r.value)
    const failed = results.find((r) => r.status === "rejected")
    if (failed) throw (failed as PromiseRejectedResult).reason
    ;[worker, a, b] = started

    db = new Client({ ...server, database })
    await db.connect()

    // Medusa's default publishable key (made on first boot); the store has one
    // sales channel, so it sees every published product.
    const keys = await call(a, "/admin/api-keys?type=publishable", { headers: admin })
    anonymous = { "x-publishable-api-key": keys.body.api_keys[0].token }

    // The worker fills the empty search index at boot; events before that are dropped by the module.
    for (const deadline = Date.now() + 60_000; !/\[Search\] Seeded/.test(worker.output()); ) {
      if (Date.now() > deadline) throw new Error(`the worker did not fill the search index:\n${worker.output().slice(-3000)}`)
      await new Promise((r) => setTimeout(r, 250))
    }

    for (let i = 0; i < 4; i++) {
      const res = await call(i % 2 ? b : a, "/admin/products", {
        headers: admin,
        body: { title: `Scale product ${i}`, status: "published", options: [{ title: "Size", values: ["One size"] }] },
      })
      expect(res.status).toBe(200)
      productIds.push(res.body.product.id)
    }
    for (let i = 0; i < 3; i++) {
      const res = await gql(i % 2 ? b : a, `mutation ($name: String!) { brandCreate(input: { name: $name }) { brand { id } userErrors { code } } }`, {
        name: `Scale brand ${i}`,
      })
      expect(res.body.data.brandCreate.userErrors).toEqual([])
      brandIds.push(res.body.data.brandCreate.brand.id)
    }
  })

  afterAll(async () => {
    await Promise.all(started.map((p) => p.kill()))
    // The processes' logs, to read when a test failed.
    const logs = resolve(__dirname, "../../.data/logs")
    mkdirSync(logs, { recursive: true })
    for (const p of started) writeFileSync(resolve(logs, `scale-out-${p.name.replace(/\W+/g, "-")}.log`), p.output())
    await db?.end()
    await redis?.stop()
    await dropTestDatabase(database)
  })

  it("shows a write made through one server at the next read through the other, cached and uncached", async () => {
    const read = `query ($id: ID!) { product(id: $id) { subtitle brand { id } } }`
    const setBrand = `mutation ($p: ID!, $b: ID!) { productSetBrand(productId: $p, brandId: $b) { userErrors { code } } }`
    const stale: string[] = []
    const readBoth = async (id: string) => {
      const cached = await gql(b, read, { id }, anonymous)
      const uncached = await gql(b, read, { id }, { ...admin, "cache-control": "no-cache" })
      return { cached: cached.body.data.product, uncached: uncached.body.data.product }
    }
    const id = productIds[0]
    for (let round = 0; round < 6; round++) {
      // B has the product cached (read twice: the second read is answered from the cache).
      await readBoth(id)
      await readBoth(id)

      const brand = brandIds[round % brandIds.length]
      const set = await gql(a, setBrand, { p: id, b: brand })
      expect(set.body.data.productSetBrand.userErrors).toEqual([])
      let seen = await readBoth(id)
      if (seen.cached.brand?.id !== brand) stale.push(`round ${round}: cached brand ${seen.cached.brand?.id}, wanted ${brand}`)
      if (seen.uncached.brand?.id !== brand) stale.push(`round ${round}: uncached brand ${seen.uncached.brand?.id}, wanted ${brand}`)

      const subtitle = `subtitle ${round}`
      const update = await call(a, `/admin/products/${id}`, { headers: admin, body: { subtitle } })
      expect(update.status).toBe(200)
      seen = await readBoth(id)
      if (seen.cached.subtitle !== subtitle) stale.push(`round ${round}: cached subtitle ${seen.cached.subtitle}, wanted ${subtitle}`)
      if (seen.uncached.subtitle !== subtitle) stale.push(`round ${round}: uncached subtitle ${seen.uncached.subtitle}, wanted ${subtitle}`)
    }
    expect(stale).toEqual([])
  })

  it("handles each Medusa event once, on the worker: the servers handle none", async () => {
    const word = `kestrel${Date.now().toString(36)}`
    const created = await call(a, "/admin/products", {
      headers: admin,
      body: { title: `Scale ${word}`, status: "published", options: [{ title: "Size", values: ["One size"] }] },
    })
    expect(created.status).toBe(200)
    productIds.push(created.body.product.id)

    // The search index follows product.created through a subscriber of the Search Module:
    // once B finds the product, the event has been handled.
    const search = `query ($q: String!) { searchProducts(query: $q, first: 5) { nodes { id } } }`
    let found: string[] = []
    for (const deadline = Date.now() + 30_000; !found.length && Date.now() < deadline; ) {
      const res = await gql(b, search, { q: word }, { ...admin, "cache-control": "no-cache" })
      found = res.body.data?.searchProducts.nodes.map((n: { id: string }) => n.id) ?? []
      if (!found.length) await new Promise((r) => setTimeout(r, 200))
    }
    expect(found).toEqual([created.body.product.id])

    // Medusa's Redis event bus logs each (non-internal) event it hands to
    // subscribers. Every product created so far was handled by the worker, each
    // once; the servers emitted events but handled none, and left the index's
    // fill to the worker.
    const handled = (p: MedusaProcess, event: string) => p.output().split(`"message":"Processing ${event} `).length - 1
    expect(handled(worker, "product.created")).toBe(productIds.length)
    for (const server of [a, b]) {
      expect(server.output()).not.toMatch(/"message":"Processing /)
      expect(server.output()).not.toMatch(/\[Search\] Seed/)
    }
  })

  it("leaves exactly one live link per product when both servers change the same products' brands at once", async () => {
    const setBrand = `mutation ($p: ID!, $b: ID!) { productSetBrand(productId: $p, brandId: $b) { userErrors { code message } } }`
    const requests = productIds.flatMap((p) => brandIds.flatMap((brand) => [a, b].map((instance) => gql(instance, setBrand, { p, b: brand }))))
    const answers = await Promise.all(requests)
    for (const res of answers) {
      expect({ status: res.status, errors: res.body.errors, userErrors: res.body.data?.productSetBrand.userErrors }).toEqual({
        status: 200,
        errors: undefined,
        userErrors: [],
      })
    }
    const { rows } = await db.query(
      `select product_id, count(*)::int as live, min(brand_id) as brand_id from product_product_brand_brand
        where deleted_at is null and product_id = any($1) group by product_id order by product_id`,
      [productIds]
    )
    expect(rows.map((r) => [r.product_id, r.live])).toEqual([...productIds].sort().map((id) => [id, 1]))
    // Both servers read what the table holds.
    const read = `query ($ids: [ID!]!) { nodes(ids: $ids) { ... on Product { id brand { id } } } }`
    const wanted = Object.fromEntries(rows.map((r) => [r.product_id, r.brand_id]))
    for (const instance of [a, b]) {
      const res = await gql(instance, read, { ids: productIds }, { ...admin, "cache-control": "no-cache" })
      expect(Object.fromEntries(res.body.data.nodes.map((n: any) => [n.id, n.brand.id]))).toEqual(wanted)
    }
  })

  it("spends one rate-limit budget across both servers", async () => {
    const client = { ...anonymous, "x-forwarded-for": "10.77.0.1" }
    const spent = await gql(a, ...costing(RATE.capacity), client)
    expect(spent.status).toBe(200)
    expect(spent.body.extensions.cost.throttleStatus.currentlyAvailable).toBeLessThan(50)

    // The same client at the other server: its bucket is the one A emptied.
    const throttled = await gql(b, ...costing(RATE.capacity / 2), client)
    expect(throttled.status).toBe(429)
    expect(throttled.body.errors[0].extensions.code).toBe("THROTTLED")
    // Another client at B still has its whole budget.
    const other = await gql(b, ...costing(RATE.capacity / 2), { ...anonymous, "x-forwarded-for": "10.77.0.2" })
    expect(other.status).toBe(200)
  })
})
