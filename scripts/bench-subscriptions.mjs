// `npm run bench:subscriptions`: catalog subscriptions over SSE, measured on
// two production-mode instances sharing one Redis (a redis-server of its
// own) and one PostgreSQL database (made and migrated for the run, dropped
// at the end):
//
// 1. Write-to-event latency across instances: a storefront subscribes to
//    productChanged on instance B (graphql-sse's client); each round changes
//    the product's title through the admin REST route of instance A, and
//    times the event on B from the moment the write was sent, and from the
//    moment its answer arrived. Prints p50 and p99.
// 2. Open streams: B's resident memory with no stream, with LIVE_STREAMS
//    (1,000) open (half productChanged, half catalogChanged), and once they
//    are closed; and how long one write takes to reach every stream.
//
// Needs redis-server (REDIS_SERVER_PATH) and a PostgreSQL server where it may
// create a database: LIVE_DATABASE_URL (default
// postgres://postgres@localhost:5432/postgres). Settings: LIVE_ROUNDS (200),
// LIVE_STREAMS (1000).
import { createClient } from "graphql-sse"
import pg from "pg"
import {
  adminToken,
  freePort,
  hasRedisServer,
  medusaEnv,
  percentile,
  REDIS_SERVER_PATH,
  rssOf,
  runMedusa,
  sleep,
  startMedusa,
  startOwnRedis,
} from "./lib/processes.mjs"

const rounds = Number(process.env.LIVE_ROUNDS || 200)
const streamCount = Number(process.env.LIVE_STREAMS || 1000)
const serverUrl = process.env.LIVE_DATABASE_URL || "postgres://postgres@localhost:5432/postgres"
const JWT_SECRET = `bench-live-${Date.now()}-0123456789abcdef`
const METRICS_TOKEN = `bench-live-metrics-${process.pid}`
const database = `bench_live_${process.pid}`
const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(0)} MB`

if (!hasRedisServer()) throw new Error(`no redis-server at ${REDIS_SERVER_PATH}`)

const postgres = new pg.Client({ connectionString: serverUrl })
await postgres.connect()
const databaseUrl = Object.assign(new URL(serverUrl), { pathname: `/${database}` }).toString()
let redis = null
const servers = []

try {
  await postgres.query(`create database ${database}`)
  redis = await startOwnRedis()
  const env = medusaEnv({
    DATABASE_URL: databaseUrl,
    REDIS_URL: redis.url,
    REDIS_PREFIX: `bench-live-${process.pid}:`,
    NODE_ENV: "production",
    JWT_SECRET,
    COOKIE_SECRET: JWT_SECRET,
    GRAPHQL_MAX_SUBSCRIPTIONS_PER_CLIENT: String(streamCount + 10),
    GRAPHQL_RATE_LIMIT_RESTORE_RATE: "1000000000",
    METRICS_TOKEN,
  })
  console.log(`Migrating ${database}…`)
  await runMedusa(["db:migrate"], env)
  // A handles Medusa's events too; B only serves HTTP, as a server beside a
  // worker: B hears of a change only through Redis.
  const a = await startMedusa({ name: "A", port: await freePort(), env: { ...env, MEDUSA_WORKER_MODE: "shared" } })
  servers.push(a)
  const b = await startMedusa({ name: "B", port: await freePort(), env: { ...env, MEDUSA_WORKER_MODE: "server" } })
  servers.push(b)

  const admin = { authorization: `Bearer ${await adminToken(JWT_SECRET)}`, "content-type": "application/json" }
  const keys = await (await fetch(`${a.url}/admin/api-keys?type=publishable`, { headers: admin })).json()
  const storefront = { "x-publishable-api-key": keys.api_keys[0].token }
  const created = await fetch(`${a.url}/admin/products`, {
    method: "POST",
    headers: admin,
    body: JSON.stringify({ title: "Live bench", status: "published", options: [{ title: "Size", values: ["One size"] }] }),
  })
  const productId = (await created.json()).product.id
  const write = (title) =>
    fetch(`${a.url}/admin/products/${productId}`, { method: "POST", headers: admin, body: JSON.stringify({ title }) }).then(
      async (res) => {
        await res.body?.cancel()
        if (!res.ok) throw new Error(`write answered ${res.status}`)
      }
    )

  const client = createClient({ url: `${b.url}/graphql`, headers: storefront, retryAttempts: 0 })
  /** Subscribes; resolves once B answered with the stream. */
  const open = (query, variables, onEvent) =>
    new Promise((ok, fail) => {
      const dispose = client.subscribe(
        { query, variables },
        { next: onEvent, error: fail, complete: () => {} },
        { connected: () => ok(dispose) }
      )
    })

  // 1. Latency, one write at a time.
  const waiting = new Map()
  const closeOne = await open(
    `subscription ($id: ID!) { productChanged(id: $id) { product { title } } }`,
    { id: productId },
    ({ data }) => waiting.get(data?.productChanged.product?.title)?.(performance.now())
  )
  const fromSent = []
  const fromAnswer = []
  for (let i = 0; i < rounds + 5; i++) {
    const title = `Live bench ${i}`
    const arrived = new Promise((r) => waiting.set(title, r))
    const sent = performance.now()
    await write(title)
    const answered = performance.now()
    const at = await Promise.race([arrived, sleep(10_000).then(() => null)])
    if (at === null) throw new Error(`no event for round ${i}`)
    waiting.delete(title)
    // The first rounds warm the JIT and the connections up.
    if (i >= 5) {
      fromSent.push(at - sent)
      fromAnswer.push(at - answered)
    }
  }
  closeOne()
  const row = (name, xs) => `| ${name} | ${percentile(xs, 50).toFixed(1)} | ${percentile(xs, 99).toFixed(1)} |`
  console.log(`\nWrite on A (POST /admin/products/:id) to the productChanged event on B, ${rounds} writes one at a time, ms:\n`)
  console.log("| From | p50 | p99 |\n| --- | --- | --- |")
  console.log(row("the write sent", fromSent))
  console.log(row("the write's answer (negative: the event came first)", fromAnswer))

  // 2. Many open streams on B.
  await sleep(2000)
  const idle = rssOf(b.pid)
  let received = 0
  let allReceived
  const everyStream = new Promise((r) => (allReceived = r))
  const count = () => ++received === streamCount && allReceived(performance.now())
  const disposers = []
  const startedOpening = performance.now()
  for (let i = 0; i < streamCount; i += 50) {
    const batch = []
    for (let j = i; j < Math.min(streamCount, i + 50); j++) {
      batch.push(
        j % 2
          ? open(`subscription { catalogChanged { productIds } }`, {}, count)
          : open(`subscription ($id: ID!) { productChanged(id: $id) { product { title } } }`, { id: productId }, count)
      )
    }
    disposers.push(...(await Promise.all(batch)))
  }
  const openedMs = performance.now() - startedOpening
  await sleep(2000)
  const withStreams = rssOf(b.pid)
  const openOnB = await openSubscriptions(b)
  const sent = performance.now()
  await write("Live bench, to every stream")
  const fanOutMs = (await Promise.race([everyStream, sleep(60_000).then(() => NaN)])) - sent
  const afterEvent = rssOf(b.pid)
  for (const dispose of disposers) dispose()
  await sleep(3000)
  const closed = rssOf(b.pid)
  const leftOnB = await openSubscriptions(b)
  console.log(`\n${streamCount} streams on B (half productChanged, half catalogChanged), one client:\n`)
  console.log("| Measure | Value |\n| --- | --- |")
  console.log(`| B's RSS, no stream open | ${mb(idle)} |`)
  console.log(`| B's RSS, ${streamCount} streams open | ${mb(withStreams)} (${((withStreams - idle) / streamCount / 1024).toFixed(0)} KB per stream) |`)
  console.log(`| B's RSS, after one write reached every stream | ${mb(afterEvent)} |`)
  console.log(`| B's RSS, 3 s after the streams closed | ${mb(closed)} |`)
  console.log(`| Streams B held open (its graphql_open_subscriptions), then after they closed | ${openOnB}, then ${leftOnB} |`)
  console.log(`| Time to open the ${streamCount} streams (50 at a time) | ${(openedMs / 1000).toFixed(1)} s |`)
  console.log(`| One write on A to its event on all ${streamCount} streams | ${fanOutMs.toFixed(0)} ms (received ${received}) |`)
  client.dispose()
} finally {
  for (const server of servers) await server.stop()
  await redis?.stop()
  await postgres.query(`drop database if exists ${database} with (force)`).catch(() => {})
  await postgres.end()
}
console.log(`\n(Node ${process.version})`)

/** What a server's /metrics says of its open streams. */
async function openSubscriptions(server) {
  const text = await (await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text()
  return Number(/^graphql_open_subscriptions (\d+)$/m.exec(text)?.[1])
}
