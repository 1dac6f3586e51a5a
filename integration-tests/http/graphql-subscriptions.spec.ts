// Catalog subscriptions over Server-Sent Events, across two instances: two
// `medusa start` processes on one PostgreSQL database and one Redis of the
// test's own, as in scale-out.spec.ts. A real SSE client (graphql-sse, in
// its "distinct connections" mode, which Yoga speaks) subscribes on one
// instance while writes go through the other.
import { mkdirSync, writeFileSync } from "node:fs"
import { resolve } from "node:path"
import { createClient, type ExecutionResult } from "graphql-sse"
import { adminToken, childEnv, startMedusa, type MedusaProcess } from "../helpers/medusa-process"
import { freePort, hasRedisServer, REDIS_SERVER_PATH, startOwnRedis } from "../helpers/redis-server"
import { cloneTemplateDatabase } from "../helpers/template-database"
import persistedDocuments from "../../src/graphql/__generated__/client/persisted-documents.json"
import { dropTestDatabase, testDatabaseUrl } from "../helpers/test-database-server"

jest.setTimeout(300 * 1000)

const JWT_SECRET = "subscriptions-jwt-secret-0123456789abcdef"
const METRICS_TOKEN = "subscriptions-metrics-token"
const MAX_SUBSCRIPTIONS = 3
// The cost limit, and a budget that holds it, refilled slowly: a costly subscription spends most of it.
const RATE = { capacity: 1500, restoreRate: 200 }
/** How long a stream that should stay quiet is watched after the write. */
const QUIET_MS = 1500

const describeWithRedis = hasRedisServer() ? describe : describe.skip
if (!hasRedisServer()) console.warn(`No redis-server at ${REDIS_SERVER_PATH}: skipping the subscriptions test.`)

type Answer = { status: number; body: any }

async function call(instance: MedusaProcess, path: string, init: { headers?: Record<string, string>; body?: unknown } = {}): Promise<Answer> {
  const res = await fetch(`${instance.url}${path}`, {
    method: init.body ? "POST" : "GET",
    headers: { "content-type": "application/json", ...init.headers },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  })
  return { status: res.status, body: await res.json().catch(() => null) }
}

/** One subscription through graphql-sse: what it received, and how it ended. */
type Stream = {
  events: ExecutionResult<any, any>[]
  /** Resolves once the stream completed (or failed: `error`). */
  ended: Promise<void>
  error?: unknown
  /** The next event after the `seen` ones, within `ms`. */
  next(ms?: number): Promise<ExecutionResult<any, any>>
  close(): void
}

let clientAddress = 0

/**
 * Opens a subscription and resolves once the server answered with the
 * stream (its listener is in place). Each stream comes from an address of
 * its own (X-Forwarded-For, which Medusa trusts for one hop) unless `from`
 * is given: clients are told apart by address and key.
 */
function subscribe(
  instance: MedusaProcess,
  query: string,
  variables: Record<string, unknown>,
  headers: Record<string, string>,
  from = `10.9.0.${++clientAddress}`
): Promise<Stream> {
  const client = createClient({ url: `${instance.url}/graphql`, headers: { ...headers, "x-forwarded-for": from }, retryAttempts: 0 })
  const events: ExecutionResult<any, any>[] = []
  let taken = 0
  let wake: (() => void) | undefined
  let connected: () => void
  let failed: (error: unknown) => void
  const opened = new Promise<void>((ok, fail) => ((connected = ok), (failed = fail)))
  let endStream: () => void
  const ended = new Promise<void>((r) => (endStream = r))
  const stream: Stream = {
    events,
    ended,
    async next(ms = 15_000) {
      const deadline = Date.now() + ms
      while (events.length <= taken) {
        if (Date.now() > deadline) throw new Error(`no event within ${ms} ms (received ${JSON.stringify(events)})`)
        await new Promise<void>((r) => {
          wake = r
          setTimeout(r, 100)
        })
      }
      return events[taken++]
    },
    close: () => {
      dispose()
      client.dispose()
    },
  }
  const dispose = client.subscribe(
    { query, variables },
    {
      next: (value) => {
        events.push(value)
        // A refusal comes as the only event of a stream that ends at once.
        connected()
        wake?.()
      },
      error: (error) => {
        stream.error = error
        failed(error)
        endStream()
      },
      complete: () => {
        connected()
        endStream()
      },
    },
    { connected: () => connected() }
  )
  return opened.then(() => stream)
}

const quiet = () => new Promise((r) => setTimeout(r, QUIET_MS))

describeWithRedis("catalog subscriptions over SSE, across two instances sharing a Redis", () => {
  const database = `subscriptions_${process.pid}_${Date.now()}`
  const databaseUrl = testDatabaseUrl(database)
  let redis: Awaited<ReturnType<typeof startOwnRedis>> | undefined
  let a: MedusaProcess, b: MedusaProcess
  const started: MedusaProcess[] = []
  const admin = { authorization: `Bearer ${adminToken(JWT_SECRET)}` }
  /** Keys of two storefronts: Web sees the Web channel, Wholesale the Wholesale channel. */
  let web: Record<string, string>, wholesale: Record<string, string>
  let channels: { web: string; wholesale: string }

  const gql = (instance: MedusaProcess, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = admin) =>
    call(instance, "/graphql", { body: { query, variables }, headers })

  async function createProduct(title: string, channelIds: string[], status = "published"): Promise<string> {
    const res = await call(a, "/admin/products", {
      headers: admin,
      body: {
        title,
        status,
        sales_channels: channelIds.map((id) => ({ id })),
        options: [{ title: "Size", values: ["One size"] }],
        variants: [{ title: "One size", options: { Size: "One size" }, prices: [{ amount: 10, currency_code: "eur" }] }],
      },
    })
    expect(res.status).toBe(200)
    return res.body.product.id
  }

  async function createKey(title: string, channelId: string): Promise<{ id: string; token: string }> {
    const key = await call(a, "/admin/api-keys", { headers: admin, body: { title, type: "publishable" } })
    expect(key.status).toBe(200)
    const linked = await call(a, `/admin/api-keys/${key.body.api_key.id}/sales-channels`, { headers: admin, body: { add: [channelId] } })
    expect(linked.status).toBe(200)
    return { id: key.body.api_key.id, token: key.body.api_key.token }
  }

  beforeAll(async () => {
    redis = await startOwnRedis()
    await cloneTemplateDatabase(database)
    const env = childEnv({
      DATABASE_URL: databaseUrl,
      REDIS_URL: redis.url,
      REDIS_PREFIX: `subs${process.pid}:`,
      NODE_ENV: "production",
      JWT_SECRET,
      COOKIE_SECRET: JWT_SECRET,
      GRAPHQL_MAX_SUBSCRIPTIONS_PER_CLIENT: String(MAX_SUBSCRIPTIONS),
      METRICS_TOKEN,
      GRAPHQL_MAX_COST: String(RATE.capacity),
      GRAPHQL_RATE_LIMIT_CAPACITY: String(RATE.capacity),
      GRAPHQL_RATE_LIMIT_RESTORE_RATE: String(RATE.restoreRate),
    })
    // One after the other: the first boot makes the store's defaults, which two at once would both make.
    // A handles Medusa's events as well; B only serves HTTP, as a server
    // beside a worker does: B hears of a change only through Redis.
    a = await startMedusa("server A", await freePort(), { ...env, MEDUSA_WORKER_MODE: "shared" })
    started.push(a)
    b = await startMedusa("server B", await freePort(), { ...env, MEDUSA_WORKER_MODE: "server" })
    started.push(b)

    const made = await Promise.all(
      ["Web", "Wholesale"].map((name) => call(a, "/admin/sales-channels", { headers: admin, body: { name } }))
    )
    channels = { web: made[0].body.sales_channel.id, wholesale: made[1].body.sales_channel.id }
    const region = await call(a, "/admin/regions", { headers: admin, body: { name: "Europe", currency_code: "eur" } })
    expect(region.status).toBe(200)
    web = { "x-publishable-api-key": (await createKey("Web", channels.web)).token }
    wholesale = { "x-publishable-api-key": (await createKey("Wholesale", channels.wholesale)).token }
  })

  afterAll(async () => {
    await Promise.all(started.map((p) => p.kill()))
    const logs = resolve(__dirname, "../../.data/logs")
    mkdirSync(logs, { recursive: true })
    for (const p of started) writeFileSync(resolve(logs, `subscriptions-${p.name.replace(/\W+/g, "-")}.log`), p.output())
    await redis?.stop()
    await dropTestDatabase(database)
  })

  const PRODUCT_CHANGED = `subscription ($id: ID!) @inContext(currencyCode: "eur") {
    productChanged(id: $id) { productId product { id title variants { price { amount currencyCode } } } }
  }`

  it("sends a write made on instance A to a subscriber on instance B, the product as the caller sees it, priced by @inContext", async () => {
    const id = await createProduct("Live lamp", [channels.web])
    const stream = await subscribe(b, PRODUCT_CHANGED, { id }, web)
    const idOnly = await subscribe(b, `subscription ($id: ID!) { productChanged(id: $id) { productId } }`, { id }, web)
    const res = await call(a, `/admin/products/${id}`, { headers: admin, body: { title: "Live lamp, brighter" } })
    expect(res.status).toBe(200)
    const event = await stream.next()
    expect(event.errors).toBeUndefined()
    expect(event.data.productChanged).toEqual({
      productId: id,
      product: { id, title: "Live lamp, brighter", variants: [{ price: { amount: "10", currencyCode: "eur" } }] },
    })
    // A selection that shows nothing of the change hears of it too.
    expect((await idOnly.next()).data).toEqual({ productChanged: { productId: id } })
    // The write is announced twice (when it answered, and when its event was
    // handled); the second read shows nothing new and sends nothing.
    await quiet()
    expect([stream.events.length, idOnly.events.length]).toEqual([1, 1])

    // A new price is a change to a variant: the event shows it.
    const variantId = res.body.product.variants[0].id
    const priced = await call(a, `/admin/products/${id}/variants/${variantId}`, {
      headers: admin,
      body: { prices: [{ amount: 12.5, currency_code: "eur" }] },
    })
    expect(priced.status).toBe(200)
    expect((await stream.next()).data.productChanged.product.variants).toEqual([{ price: { amount: "12.5", currencyCode: "eur" } }])
    stream.close()
    idOnly.close()
  })

  it("sends each stream the product in its operation's locale", async () => {
    const id = await createProduct("Live kettle", [channels.web])
    const { body: { stores: [store] } } = await call(a, "/admin/stores", { headers: admin })
    const locales = await call(a, `/admin/stores/${store.id}`, {
      headers: admin,
      body: { supported_locales: [{ locale_code: "fr-FR" }, { locale_code: "de-DE" }] },
    })
    expect(locales.status).toBe(200)
    const translate = (title: Record<string, string>) =>
      call(a, "/admin/translations/batch", {
        headers: admin,
        body: { create: Object.entries(title).map(([locale_code, t]) => ({ reference: "product", reference_id: id, locale_code, translations: { title: t } })) },
      })
    expect((await translate({ "fr-FR": "Bouilloire", "de-DE": "Wasserkocher" })).status).toBe(200)
    const doc = `subscription ($id: ID!, $locale: String) @inContext(locale: $locale) { productChanged(id: $id) { product { title subtitle } } }`
    const [fr, de, plain] = await Promise.all(
      [{ locale: "fr-FR" }, { locale: "de-DE" }, {}].map((l) => subscribe(b, doc, { id, ...l }, web))
    )
    expect((await call(a, `/admin/products/${id}`, { headers: admin, body: { subtitle: "No. 2" } })).status).toBe(200)
    // The same selection in three locales: each stream reads its own.
    expect((await fr.next()).data.productChanged.product).toEqual({ title: "Bouilloire", subtitle: "No. 2" })
    expect((await de.next()).data.productChanged.product).toEqual({ title: "Wasserkocher", subtitle: "No. 2" })
    expect((await plain.next()).data.productChanged.product).toEqual({ title: "Live kettle", subtitle: "No. 2" })
    for (const s of [fr, de, plain]) s.close()
  })

  it("sends a product's new stock to a selection that shows it", async () => {
    const created = await call(a, "/admin/products", {
      headers: admin,
      body: {
        title: "Stocked stool",
        status: "published",
        sales_channels: [{ id: channels.web }],
        options: [{ title: "Size", values: ["One size"] }],
        variants: [{ title: "One size", manage_inventory: true, options: { Size: "One size" }, prices: [{ amount: 10, currency_code: "eur" }] }],
      },
    })
    expect(created.status).toBe(200)
    const id = created.body.product.id
    const variant = (await call(a, `/admin/products/${id}/variants?fields=id,*inventory_items`, { headers: admin })).body.variants[0]
    const itemId = variant.inventory_items[0].inventory_item_id
    const location = await call(a, "/admin/stock-locations", { headers: admin, body: { name: "Warehouse" } })
    const locationId = location.body.stock_location.id
    await call(a, `/admin/stock-locations/${locationId}/sales-channels`, { headers: admin, body: { add: [channels.web] } })
    const level = await call(a, `/admin/inventory-items/${itemId}/location-levels`, {
      headers: admin,
      body: { location_id: locationId, stocked_quantity: 2 },
    })
    expect(level.status).toBe(200)

    const stream = await subscribe(b, `subscription ($id: ID!) { productChanged(id: $id) { product { variants { quantityAvailable } } } }`, { id }, web)
    const updated = await call(a, `/admin/inventory-items/${itemId}/location-levels/${locationId}`, {
      headers: admin,
      body: { stocked_quantity: 7 },
    })
    expect(updated.status).toBe(200)
    // The stock level's creation may still be heard first (its event is handled after it answered):
    // a selection that shows stock hears each change that can move it, read anew.
    const seen: unknown[] = []
    for (let event = await stream.next(); ; event = await stream.next()) {
      seen.push(event.data.productChanged.product.variants)
      if (event.data.productChanged.product.variants[0].quantityAvailable === 7) break
    }
    expect(seen.slice(0, -1)).toEqual(seen.slice(0, -1).map(() => [{ quantityAvailable: 2 }]))
    stream.close()
  })

  it("tells a storefront nothing of a product outside its key's channels, and ends its stream when the product is unpublished", async () => {
    const id = await createProduct("Channel chair", [channels.web])
    const seen = await subscribe(b, PRODUCT_CHANGED, { id }, web)
    const unseen = await subscribe(b, PRODUCT_CHANGED, { id }, wholesale)

    await call(a, `/admin/products/${id}`, { headers: admin, body: { title: "Channel chair II" } })
    expect((await seen.next()).data.productChanged.product.title).toBe("Channel chair II")
    await quiet()
    expect(unseen.events).toEqual([])

    const res = await call(a, `/admin/products/${id}`, { headers: admin, body: { status: "draft" } })
    expect(res.status).toBe(200)
    expect((await seen.next()).data).toEqual({ productChanged: { productId: id, product: null } })
    await seen.ended
    expect(seen.error).toBeUndefined()
    await quiet()
    expect(unseen.events).toEqual([])
    unseen.close()
  })

  it("follows a brand, and ends with brand: null when it is deleted", async () => {
    const created = await gql(a, `mutation { brandCreate(input: { name: "Live Brand" }) { brand { id } } }`)
    const id = created.body.data.brandCreate.brand.id
    const stream = await subscribe(b, `subscription ($id: ID!) { brandChanged(id: $id) { brandId brand { id name } } }`, { id }, web)

    await gql(a, `mutation ($id: ID!) { brandUpdate(id: $id, input: { name: "Live Brand II" }) { userErrors { code } } }`, { id })
    expect((await stream.next()).data).toEqual({ brandChanged: { brandId: id, brand: { id, name: "Live Brand II" } } })

    await gql(a, `mutation ($id: ID!) { brandDelete(id: $id) { deletedBrandId } }`, { id })
    expect((await stream.next()).data).toEqual({ brandChanged: { brandId: id, brand: null } })
    await stream.ended
  })

  it("names the products and brands each change touched, only those the caller's key has channels for", async () => {
    const inWeb = await createProduct("Catalog cup", [channels.web])
    const inWholesale = await createProduct("Catalog crate", [channels.wholesale])
    const created = await gql(a, `mutation { brandCreate(input: { name: "Catalog Brand" }) { brand { id } } }`)
    const brandId = created.body.data.brandCreate.brand.id
    const stream = await subscribe(b, `subscription { catalogChanged { productIds brandIds } }`, {}, web)

    await call(a, `/admin/products/${inWholesale}`, { headers: admin, body: { subtitle: "bulk" } })
    await call(a, `/admin/products/${inWeb}`, { headers: admin, body: { subtitle: "single" } })
    await gql(a, `mutation ($p: ID!, $b: ID!) { productSetBrand(productId: $p, brandId: $b) { userErrors { code } } }`, {
      p: inWeb,
      b: brandId,
    })
    const named = { productIds: new Set<string>(), brandIds: new Set<string>() }
    while (!named.brandIds.has(brandId) || !named.productIds.has(inWeb)) {
      const { data } = await stream.next()
      data.catalogChanged.productIds.forEach((id: string) => named.productIds.add(id))
      data.catalogChanged.brandIds.forEach((id: string) => named.brandIds.add(id))
    }
    await quiet()
    for (const event of stream.events) expect(event.data.catalogChanged.productIds).not.toContain(inWholesale)
    stream.close()
  })

  it("ends every stream of a key once the key is revoked, with PUBLISHABLE_KEY_INVALID", async () => {
    const key = await createKey("Soon revoked", channels.web)
    const headers = { "x-publishable-api-key": key.token }
    const id = await createProduct("Revoked rug", [channels.web])
    const product = await subscribe(b, PRODUCT_CHANGED, { id }, headers)
    const catalog = await subscribe(b, `subscription { catalogChanged { productIds } }`, {}, headers)

    const revoked = await call(a, `/admin/api-keys/${key.id}/revoke`, { headers: admin, body: {} })
    expect(revoked.status).toBe(200)
    for (const stream of [product, catalog]) {
      // The catalog stream may first hear of the product's creation, handled a moment after it answered.
      await Promise.race([stream.ended, new Promise((_, fail) => setTimeout(() => fail(new Error("the stream did not end")), 15_000))])
      expect(stream.events.at(-1)?.errors?.[0].extensions?.code).toBe("PUBLISHABLE_KEY_INVALID")
    }
  })

  /** A subscription refused before its stream opens: the HTTP status, and the codes of the event it was answered with. */
  async function refused(instance: MedusaProcess, headers: Record<string, string>, query = `subscription { catalogChanged { productIds } }`) {
    const res = await fetch(`${instance.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "text/event-stream", ...headers },
      body: JSON.stringify({ query }),
    })
    const text = await res.text()
    const data = text.split("\n").filter((line) => line.startsWith("data: ")).map((line) => JSON.parse(line.slice(6)))
    return { status: res.status, codes: data.flatMap((d) => (d.errors ?? []).map((e: any) => e.extensions?.code)) }
  }

  it("refuses a subscription without a key, and one over the client's limit, with typed errors", async () => {
    expect(await refused(b, { "x-forwarded-for": "10.8.0.9" })).toEqual({ status: 401, codes: ["PUBLISHABLE_KEY_REQUIRED"] })

    const from = "10.8.0.1"
    const open: Stream[] = []
    for (let i = 0; i < MAX_SUBSCRIPTIONS; i++) open.push(await subscribe(b, `subscription { catalogChanged { productIds } }`, {}, web, from))
    expect(await refused(b, { ...web, "x-forwarded-for": from })).toEqual({ status: 429, codes: ["SUBSCRIPTION_LIMIT"] })
    // Another client is not held to this one's count; and once one stream ends, the client may open another.
    const other = await subscribe(b, `subscription { catalogChanged { productIds } }`, {}, web, "10.8.0.2")
    open.pop()!.close()
    await new Promise((r) => setTimeout(r, 500))
    const again = await subscribe(b, `subscription { catalogChanged { productIds } }`, {}, web, from)
    await quiet()
    expect([other.events, again.events, other.error, again.error]).toEqual([[], [], undefined, undefined])
    for (const s of [...open, other, again]) s.close()

    // Every stream of the tests so far has ended or been closed: B holds none.
    const openOnB = async () => {
      const res = await fetch(`${b.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })
      return Number(/^graphql_open_subscriptions (\d+)$/m.exec(await res.text())?.[1])
    }
    let left = await openOnB()
    for (const deadline = Date.now() + 5000; left !== 0 && Date.now() < deadline; left = await openOnB()) {
      await new Promise((r) => setTimeout(r, 200))
    }
    expect(left).toBe(0)
  })

  it("holds a subscription to the cost limit, and charges its cost to the client's budget when it opens", async () => {
    const brand = (await gql(a, `mutation { brandCreate(input: { name: "Costly Brand" }) { brand { id } } }`)).body.data.brandCreate.brand.id
    const nested = (inner: string) => `subscription { brandChanged(id: "${brand}") { brand { products(first: 100) { nodes { ${inner} } } } } }`
    const client = { ...web, "x-forwarded-for": "10.7.0.1" }
    // 100 products, each with 100 of its brand's products: far above the limit.
    expect(await refused(b, client, nested("brand { products(first: 100) { nodes { id } } }"))).toEqual({
      status: 400,
      codes: ["QUERY_TOO_COSTLY"],
    })
    // Under the limit, over half the budget: the first opens, the second finds the budget spent.
    const costly = nested("id brand { products(first: 3) { nodes { id } } }") // 1,003 points
    const first = await subscribe(b, costly, {}, web, "10.7.0.1")
    expect(first.events).toEqual([])
    expect(await refused(b, client, costly)).toEqual({ status: 429, codes: ["THROTTLED"] })
    first.close()
  })

  it("keeps a quiet stream alive with a heartbeat; a persisted subscription streams as a GET", async () => {
    // The storefront's CatalogChanged operation, by its id in the persisted-documents manifest.
    const [documentId] = Object.entries(persistedDocuments).find(([, text]) => text.includes("subscription CatalogChanged"))!
    const res = await fetch(`${b.url}/graphql?documentId=${encodeURIComponent(documentId)}`, {
      headers: { accept: "text/event-stream", ...web },
    })
    expect(res.status).toBe(200)
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/)
    expect(res.headers.get("content-encoding")).not.toMatch(/gzip|br|deflate/)
    expect(res.headers.get("x-accel-buffering")).toBe("no")
    expect(res.headers.get("x-cache")).toBe("BYPASS; reason=subscription")
    const reader = res.body!.getReader()
    let text = ""
    const started = Date.now()
    // One comment line at once, then one every 12 seconds.
    while ((text.match(/^:$/gm) ?? []).length < 2 && Date.now() - started < 20_000) {
      const { value, done } = await reader.read()
      if (done) break
      text += new TextDecoder().decode(value)
    }
    expect((text.match(/^:$/gm) ?? []).length).toBeGreaterThanOrEqual(2)
    await reader.cancel()
  })

  it("ends its streams on SIGTERM, so that the process stops within its grace period", async () => {
    const stream = await subscribe(b, `subscription { catalogChanged { productIds } }`, {}, web)
    const exited = new Promise<number>((r) => b.child.once("exit", () => r(Date.now())))
    const sent = Date.now()
    b.child.kill("SIGTERM")
    await stream.ended
    expect(stream.error).toBeUndefined()
    expect((await exited) - sent).toBeLessThan(10_000)
  })
})
