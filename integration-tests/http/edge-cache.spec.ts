// The production layout with its HTTP cache: Varnish (deploy/varnish/default.vcl,
// with this test's servers as its backends) in front of two servers
// (MEDUSA_WORKER_MODE=server), and one worker, on one PostgreSQL database (a
// copy of the migrated template, with the demo data) and one Redis of the
// test's own. The servers purge Varnish on every change (HTTP_CACHE_PURGE_URL).
// Skipped where varnishd (Debian's varnish and varnish-modules) or
// redis-server is missing. Booting takes about a minute.
import { spawn } from "node:child_process"
import { mkdirSync, writeFileSync } from "node:fs"
import { resolve } from "node:path"
import manifest from "../../src/graphql/__generated__/client/persisted-documents.json"
import { adminToken, childEnv, startMedusa, type MedusaProcess } from "../helpers/medusa-process"
import { freePort, hasRedisServer, REDIS_SERVER_PATH, startOwnRedis } from "../helpers/redis-server"
import { cloneTemplateDatabase } from "../helpers/template-database"
import { hasVarnish, startVarnish, VARNISHD_PATH, type Varnish } from "../helpers/varnish"
import { dropTestDatabase, testDatabaseUrl } from "../helpers/test-database-server"

jest.setTimeout(300 * 1000)

const JWT_SECRET = "edge-cache-jwt-secret-0123456789abcdef"
const STORE_ORIGIN = "http://localhost:8000"
const METRICS_TOKEN = "edge-cache-metrics-token"

const runnable = hasVarnish() && hasRedisServer()
const describeWithVarnish = runnable ? describe : describe.skip
if (!hasVarnish()) {
  console.warn(`No varnishd at ${VARNISHD_PATH}, or no xkey module: skipping the edge cache test (apt-get install varnish varnish-modules).`)
} else if (!hasRedisServer()) {
  console.warn(`No redis-server at ${REDIS_SERVER_PATH}: skipping the edge cache test.`)
}

type Answer = { status: number; headers: Headers; body: any }

/** The id of a persisted document, by its operation's name. */
function documentId(operation: string): string {
  const found = Object.entries(manifest as Record<string, string>).find(([, doc]) => new RegExp(`query ${operation}\\b`).test(doc))
  if (!found) throw new Error(`no persisted document ${operation}`)
  return found[0]
}

/** A GraphQL read sent as GET: a document by id, or a query in the URL. */
async function get(
  base: string,
  op: { query?: string; documentId?: string; variables?: Record<string, unknown> },
  headers: Record<string, string> = {}
): Promise<Answer> {
  const url = new URL("/graphql", base)
  if (op.query) url.searchParams.set("query", op.query)
  if (op.documentId) url.searchParams.set("documentId", op.documentId)
  if (op.variables) url.searchParams.set("variables", JSON.stringify(op.variables))
  const res = await fetch(url, { headers })
  const text = await res.text()
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null }
}

/** A request to one server; never throws on a status. */
async function call(base: string, path: string, init: { method?: string; headers?: Record<string, string>; body?: unknown } = {}): Promise<Answer> {
  const res = await fetch(`${base}${path}`, {
    method: init.method ?? (init.body ? "POST" : "GET"),
    headers: { "content-type": "application/json", ...init.headers },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  })
  const text = await res.text()
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null }
}

/** `medusa exec` of the demo seed on `databaseUrl`, without Redis (its events are handled in its own process). */
function seed(databaseUrl: string): Promise<void> {
  const root = resolve(__dirname, "../..")
  return new Promise((ok, fail) => {
    const child = spawn(resolve(root, "node_modules/.bin/medusa"), ["exec", "./src/scripts/seed.ts"], {
      cwd: root,
      env: childEnv({ DATABASE_URL: databaseUrl, JWT_SECRET, COOKIE_SECRET: JWT_SECRET, REDIS_URL: "" }),
      stdio: ["ignore", "pipe", "pipe"],
    })
    let output = ""
    child.stdout!.on("data", (d) => (output += d))
    child.stderr!.on("data", (d) => (output += d))
    child.once("exit", (code) => (code === 0 ? ok() : fail(new Error(`seed exited ${code}:\n${output.slice(-3000)}`))))
  })
}

describeWithVarnish("Varnish in front of two servers and a worker", () => {
  const database = `edge_cache_${process.pid}_${Date.now()}`
  const databaseUrl = testDatabaseUrl(database)
  let redis: Awaited<ReturnType<typeof startOwnRedis>> | undefined
  let varnish: Varnish | undefined
  let a: MedusaProcess, b: MedusaProcess
  const started: MedusaProcess[] = []
  const admin = { authorization: `Bearer ${adminToken(JWT_SECRET)}` }
  let webshop: Record<string, string>, wholesale: Record<string, string>
  /** Demo products: sold in both channels, in the trade only, in the webshop only. */
  let both: { id: string; handle: string }[], tradeOnly: { id: string; handle: string }, webshopOnly: { id: string; handle: string }
  let brandIds: string[]

  const edge = () => varnish!.url
  /**
   * Reads through Varnish until it answers from its cache. Varnish does not
   * keep a fetch that any purge overlapped (the worker's, for an earlier
   * test's write): the next fetch is kept.
   */
  const untilKept = async (op: Parameters<typeof get>[1], headers: Record<string, string>) => {
    for (let tries = 0; tries < 10; tries++) {
      const res = await get(edge(), op, headers)
      if (res.headers.get("x-edge-cache") === "HIT") return res
      await new Promise((r) => setTimeout(r, 100))
    }
    throw new Error(`Varnish kept no answer to ${JSON.stringify(op)}`)
  }
  const mutate = (instance: MedusaProcess, query: string, variables: Record<string, unknown>) =>
    call(instance.url, "/graphql", { headers: admin, body: { query, variables } })

  beforeAll(async () => {
    redis = await startOwnRedis()
    await cloneTemplateDatabase(database)
    await seed(databaseUrl)

    const [workerPort, portA, portB] = await Promise.all([freePort(), freePort(), freePort()])
    varnish = await startVarnish([
      { name: "api_1", port: portA },
      { name: "api_2", port: portB },
    ])
    const env = childEnv({
      DATABASE_URL: databaseUrl,
      REDIS_URL: redis.url,
      NODE_ENV: "production",
      JWT_SECRET,
      COOKIE_SECRET: JWT_SECRET,
      STORE_CORS: STORE_ORIGIN,
      HTTP_CACHE_PURGE_URL: `${varnish.url}/`,
      METRICS_TOKEN,
    })
    const results = await Promise.allSettled([
      startMedusa("worker", workerPort, { ...env, MEDUSA_WORKER_MODE: "worker" }),
      startMedusa("server A", portA, { ...env, MEDUSA_WORKER_MODE: "server" }),
      startMedusa("server B", portB, { ...env, MEDUSA_WORKER_MODE: "server" }),
    ])
    for (const r of results) if (r.status === "fulfilled") started.push(r.value)
    const failed = results.find((r) => r.status === "rejected")
    if (failed) throw (failed as PromiseRejectedResult).reason
    ;[, a, b] = started

    const keys = await call(a.url, "/admin/api-keys?type=publishable&limit=50", { headers: admin })
    const token = (title: string) => keys.body.api_keys.find((k: any) => k.title === title).token
    webshop = { "x-publishable-api-key": token("Webshop key") }
    wholesale = { "x-publishable-api-key": token("Wholesale key") }

    const products = await call(a.url, "/admin/products?fields=id,handle,sales_channels.name&limit=200&order=handle", { headers: admin })
    const channels = (p: any) => p.sales_channels.map((c: any) => c.name).sort().join(",")
    const pick = (p: any) => ({ id: p.id, handle: p.handle })
    both = products.body.products.filter((p: any) => channels(p) === "Webshop,Wholesale").slice(0, 4).map(pick)
    tradeOnly = pick(products.body.products.find((p: any) => channels(p) === "Wholesale"))
    webshopOnly = pick(products.body.products.find((p: any) => channels(p) === "Webshop"))
    const brands = await call(a.url, "/admin/brands?limit=3", { headers: admin })
    brandIds = brands.body.brands.map((brand: any) => brand.id)
  })

  afterAll(async () => {
    await Promise.all(started.map((p) => p.kill()))
    const logs = resolve(__dirname, "../../.data/logs")
    mkdirSync(logs, { recursive: true })
    for (const p of started) writeFileSync(resolve(logs, `edge-cache-${p.name.replace(/\W+/g, "-")}.log`), p.output())
    if (varnish) writeFileSync(resolve(logs, "edge-cache-varnish.log"), varnish.output())
    await varnish?.stop()
    await redis?.stop()
    await dropTestDatabase(database)
  })

  it("marks a storefront's GET public, with a strong ETag, Vary and surrogate keys; everything else private", async () => {
    const op = { query: `query ($id: ID!) { product(id: $id) { id title brand { id } } }`, variables: { id: both[0].id } }
    const res = await get(a.url, op, webshop)
    expect(res.status).toBe(200)
    expect(res.body.data.product.id).toBe(both[0].id)
    expect(res.headers.get("cache-control")).toMatch(/^public, max-age=0, s-maxage=\d+, stale-while-revalidate=\d+$/)
    const etag = res.headers.get("etag")!
    expect(etag).toMatch(/^"[\w-]+"$/)
    const vary = res.headers.get("vary")!.split(",").map((h) => h.trim().toLowerCase())
    expect(vary).toEqual(expect.arrayContaining(["accept", "origin", "x-publishable-api-key", "authorization", "cookie"]))
    const keys = res.headers.get("xkey")!.split(" ")
    expect(keys).toEqual(expect.arrayContaining([both[0].id, res.body.data.product.brand.id, "access", "all"]))
    expect(res.headers.get("surrogate-key")).toBe(res.headers.get("xkey"))
    // The rate limit's budget is one client's: not in an answer others get.
    expect(res.body.extensions.cost.throttleStatus).toBeUndefined()

    // The same answer on the other server: the same ETag, and 304 for it. (A
    // read that a change raced is answered private, without an ETag: the
    // worker may still be handling the fixtures' events, so ask again.)
    let again = await get(b.url, op, { ...webshop, "if-none-match": etag })
    for (let attempt = 0; attempt < 20 && again.status === 200 && again.headers.get("cache-control") === "private, no-store"; attempt++) {
      await new Promise((r) => setTimeout(r, 250))
      again = await get(b.url, op, { ...webshop, "if-none-match": etag })
    }
    expect(again.status).toBe(304)
    expect(again.headers.get("etag")).toBe(etag)

    const isPrivate = (r: Answer) => expect(r.headers.get("cache-control")).toBe("private, no-store")
    // POST, an admin, a cookie, Authorization, a missing key, an error, a mutation.
    const post = await call(a.url, "/graphql", { headers: webshop, body: op })
    expect(post.body.data.product.id).toBe(both[0].id)
    isPrivate(post)
    isPrivate(await get(a.url, op, admin))
    isPrivate(await get(a.url, op, { ...webshop, cookie: "connect.sid=x" }))
    isPrivate(await get(a.url, op, { "x-graphql-csrf": "1" }))
    const error = await get(a.url, { query: `{ product(id: "x") { nope } }` }, webshop)
    expect(error.body.errors).toBeDefined()
    isPrivate(error)
    isPrivate(await mutate(a, `mutation { brandCreate(input: { name: "Edge Header Brand" }) { brand { id } } }`, {}))
    expect(post.headers.get("xkey")).toBeNull()
  })

  it("answers repeated storefront reads from Varnish, by document id and by query, and 304 on If-None-Match", async () => {
    const byId = { documentId: documentId("ProductPage"), variables: { handle: both[1].handle } }
    const byQuery = { query: `{ brands(first: 3, orderBy: { field: NAME }) { nodes { id name } } }` }
    for (const op of [byId, byQuery]) {
      const first = await get(edge(), op, webshop)
      expect(first.status).toBe(200)
      expect(first.headers.get("x-edge-cache")).not.toBe("HIT")
      const second = await untilKept(op, webshop)
      expect(second.body).toEqual(first.body)
      // Browsers cannot be purged: they keep it but ask again each time; the keys stay here.
      expect(second.headers.get("cache-control")).toBe("public, no-cache")
      expect(second.headers.get("xkey")).toBeNull()
      const etag = second.headers.get("etag")!
      const conditional = await get(edge(), op, { ...webshop, "if-none-match": etag })
      expect(conditional.status).toBe(304)
      expect(conditional.headers.get("x-edge-cache")).toBe("HIT")
    }
  })

  it("never mixes the answers of two keys, two currencies, two origins, or a keyed and a keyless request", async () => {
    // One URL; each key's answer kept by Varnish, and each key still gets its own.
    const read = { query: `query ($id: ID!) { product(id: $id) { id title } }`, variables: { id: tradeOnly.id } }
    const keyless = { "x-graphql-csrf": "1" }
    const ownAnswers = async (hit: (r: Answer) => void) => {
      const trade = await get(edge(), read, wholesale)
      expect(trade.body.data.product?.id).toBe(tradeOnly.id)
      const shop = await get(edge(), read, webshop)
      expect(shop.body.data.product).toBeNull()
      const none = await get(edge(), read, keyless)
      expect(none.status).toBe(401)
      expect(none.body.errors[0].extensions.code).toBe("PUBLISHABLE_KEY_REQUIRED")
      expect(none.body.data ?? null).toBeNull()
      expect(none.headers.get("x-edge-cache")).not.toBe("HIT")
      for (const r of [trade, shop]) hit(r)
    }
    await ownAnswers(() => {})
    await untilKept(read, wholesale)
    await untilKept(read, webshop)
    await ownAnswers((r) => expect(r.headers.get("x-edge-cache")).toBe("HIT"))

    const shopOnly = { query: `query ($id: ID!) { product(id: $id) { id } }`, variables: { id: webshopOnly.id } }
    expect((await untilKept(shopOnly, webshop)).body.data.product?.id).toBe(webshopOnly.id)
    expect((await untilKept(shopOnly, wholesale)).body.data.product).toBeNull()
    expect((await get(edge(), shopOnly, webshop)).body.data.product?.id).toBe(webshopOnly.id)

    // Two currencies (and regions) of one document: each its own prices.
    const detail = (currencyCode: string) => ({ documentId: documentId("ProductDetail"), variables: { handle: both[2].handle, currencyCode } })
    const currencies = (res: Answer) => new Set(res.body.data.product.variants.map((v: any) => v.price.currencyCode))
    for (const currency of ["eur", "usd"]) expect(currencies(await untilKept(detail(currency), webshop))).toEqual(new Set([currency]))
    for (const currency of ["eur", "usd"]) expect(currencies(await get(edge(), detail(currency), webshop))).toEqual(new Set([currency]))

    // A browser of a listed origin gets its CORS headers; a request without one never does.
    const listing = { query: `{ products(first: 2) { nodes { id } } }` }
    for (let i = 0; i < 2; i++) {
      const browser = await get(edge(), listing, { ...webshop, origin: STORE_ORIGIN })
      expect(browser.headers.get("access-control-allow-origin")).toBe(STORE_ORIGIN)
      const plain = await get(edge(), listing, webshop)
      expect(plain.headers.get("access-control-allow-origin")).toBeNull()
      const other = await get(edge(), listing, { ...webshop, origin: "https://elsewhere.example" })
      expect(other.headers.get("access-control-allow-origin")).toBeNull()
    }
  })

  it("purges the answers holding what a write changed, and leaves the others cached", async () => {
    const product = (id: string) => ({ query: `query ($id: ID!) { product(id: $id) { id subtitle } }`, variables: { id } })
    const brandsList = { query: `{ brands(first: 5, orderBy: { field: NAME }) { nodes { id name } } }` }
    const changed = product(both[3].id)
    const other = product(both[1].id)
    for (const op of [changed, other, brandsList]) await untilKept(op, webshop)
    const subtitle = `edge ${Date.now()}`
    const write = await call(b.url, `/admin/products/${both[3].id}`, { headers: admin, body: { subtitle } })
    expect(write.status).toBe(200)

    // Fetched again (MISS; or PASS, not kept, when the worker's purge for
    // the same change's event ran while it was fetched).
    const after = await get(edge(), changed, webshop)
    expect(after.headers.get("x-edge-cache")).not.toBe("HIT")
    expect(after.body.data.product.subtitle).toBe(subtitle)
    expect((await get(edge(), other, webshop)).headers.get("x-edge-cache")).toBe("HIT")
    expect((await get(edge(), brandsList, webshop)).headers.get("x-edge-cache")).toBe("HIT")

    // The server that took the write counts its purges.
    const metrics = await fetch(`${b.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } }).then((r) => r.text())
    expect(Number(/^http_cache_purges_total\{result="ok"\} (\d+)/m.exec(metrics)?.[1] ?? 0)).toBeGreaterThan(0)
    expect(metrics).not.toMatch(/^http_cache_purges_total\{result="failed"\} [1-9]/m)
  })

  it("does not keep an answer whose fetch began before a purge: it may be older than the change", async () => {
    // A read the servers take a while to make (a new document: no cached answer anywhere).
    const slow = {
      query: `query Slow${Date.now()} @inContext(currencyCode: "eur") { products(first: 100) { nodes { id variants { id price { amount } } brand { name } } } }`,
    }
    const started = Date.now()
    const fetching = get(edge(), slow, webshop)
    await new Promise((r) => setTimeout(r, 15))
    // Any purge, while the fetch runs.
    const purge = await fetch(`${edge()}/`, { method: "PURGE", headers: { "xkey-purge": "nothing-holds-this" } })
    expect(purge.status).toBe(200)
    const first = await fetching
    const fetchMs = Date.now() - started
    expect(first.status).toBe(200)
    expect(first.headers.get("x-edge-cache")).toBe("PASS")
    expect(fetchMs).toBeGreaterThan(15)
    // Fetched again after the purge: kept.
    expect((await untilKept(slow, webshop)).body).toEqual(first.body)
  })

  it("shows a write at the next read through Varnish once it has answered, on either server, with reads racing it (0 stale)", async () => {
    const id = both[0].id
    // Several answers holding the product (each its own URL), so that several fetches are in flight when a write lands.
    const reads = Array.from({ length: 6 }, (_, n) => ({
      query: `query Race${n} ($id: ID!) { product(id: $id) { subtitle brand { id } } }`,
      variables: { id },
    }))
    const setBrand = `mutation ($p: ID!, $b: ID!) { productSetBrand(productId: $p, brandId: $b) { userErrors { code } } }`
    const stale: string[] = []
    let racing = true
    const racers = reads.map(async (read) => {
      while (racing) await get(edge(), read, webshop)
    })
    let checked = 0
    try {
      for (let round = 0; round < 30; round++) {
        const writer = round % 2 ? b : a
        let shows: (p: any) => boolean
        if (round % 3 === 2) {
          const brand = brandIds[round % brandIds.length]
          const res = await mutate(writer, setBrand, { p: id, b: brand })
          expect(res.body.data.productSetBrand.userErrors).toEqual([])
          shows = (p) => p.brand?.id === brand
        } else {
          const subtitle = `race ${round} ${Date.now()}`
          const res = await call(writer.url, `/admin/products/${id}`, { headers: admin, body: { subtitle } })
          expect(res.status).toBe(200)
          shows = (p) => p.subtitle === subtitle
        }
        for (const [n, seen] of (await Promise.all(reads.map((read) => get(edge(), read, webshop)))).entries()) {
          checked++
          if (!shows(seen.body.data.product)) {
            stale.push(`round ${round}, Race${n} (${seen.headers.get("x-edge-cache")}): ${JSON.stringify(seen.body.data.product)}`)
          }
        }
      }
    } finally {
      racing = false
      await Promise.all(racers)
    }
    expect({ checked, stale }).toEqual({ checked: 180, stale: [] })
  })
})
