// `npm run test:faults`: the API under faults, each a test that passes or
// fails (node:test), with the figures printed as they are measured.
//
// It stops only what it started itself: an embedded PostgreSQL cluster of its
// own (.data/faults-postgres, on a free port; a fresh database each run) and a
// redis-server of its own on a free port. One server (MEDUSA_WORKER_MODE=
// server) and one worker run against them, in production mode.
//
//   1. PostgreSQL stopped for FAULTS_OUTAGE_SECONDS (10) under load, then
//      started again: while it is down every request fails fast (503
//      DATABASE_UNAVAILABLE / database_unavailable, no 500), none of those
//      made during the outage takes longer than BOUND_MS (6 s, shorter than
//      the outage: no request waits it out), and the same server process
//      serves again after.
//   2. Redis stopped and started again under load (with its append-only
//      file, as in production): reads go on from PostgreSQL, writes fail fast
//      (503 REDIS_UNAVAILABLE) and write nothing, the same bound holds, and
//      everything works again after.
//   3. The process running a brand change killed (SIGKILL) half-way, after
//      the old link was soft-deleted and before the new one was made (the
//      test holds the new row's lock): the change is one transaction, so the
//      product keeps its old brand.
//   4. The server killed at random moments while brand changes run on every
//      product (FAULTS_BRAND_KILL_ROUNDS rounds, 4): each product has exactly
//      one brand after each kill, the old one or one it was given.
//   5. The process running a brand deletion killed (SIGKILL) half-way, after
//      the brand was deleted and before its links were. Medusa's workflow
//      engine does not resume nor compensate such a run (see docs/operations.md); the
//      worker's job that finishes half-done deletions (every minute)
//      dismisses the links once the dead process's locks have expired: the
//      brand and all its links are gone.
//   6. The worker killed (SIGKILL) as a brand deletion runs: the deletion is
//      whole (workflows run in the server that was asked), writes go on, and a
//      new worker handles the events left waiting in Redis (the search index
//      follows a product renamed meanwhile).
//
// Without /usr/bin/redis-server (REDIS_SERVER_PATH) it says so and runs
// nothing. Settings: FAULTS_CONNECTIONS (8), FAULTS_OUTAGE_SECONDS (5).
import assert from "node:assert/strict"
import { after, before, test } from "node:test"
import { mkdirSync } from "node:fs"
import { resolve } from "node:path"
import pg from "pg"
import { startEmbeddedPostgres } from "./embedded-postgres.mjs"
import {
  adminToken,
  freePort,
  hasRedisServer,
  medusaEnv,
  percentile,
  REDIS_SERVER_PATH,
  root,
  runMedusa,
  sleep,
  startMedusa,
  startOwnRedis,
} from "./lib/processes.mjs"

const connections = Number(process.env.FAULTS_CONNECTIONS || 8)
const outageSeconds = Number(process.env.FAULTS_OUTAGE_SECONDS || 10)
/** The server's pool waits at most this long for a connection (DATABASE_ACQUIRE_TIMEOUT_MS). */
const ACQUIRE_TIMEOUT_MS = 3000
/**
 * Longest a request made while a dependency is down may take: the pool's
 * acquire timeout or a Redis command's one reconnect (medusa-config.ts),
 * with room for a busy machine. Shorter than the outage, so that a request
 * that waited for the dependency to come back fails the test.
 */
const BOUND_MS = 6000
/**
 * Longest a half-done deletion may wait to be finished: the worker's job looks
 * every minute (src/jobs/finish-brand-deletions.ts), and the dead process's
 * locks expire after 10 s, with room for a busy machine.
 */
const REPAIR_WAIT_MS = 90_000
const JWT_SECRET = "faults-jwt-secret-0123456789abcdef"
const logs = resolve(root, ".data/logs")
mkdirSync(logs, { recursive: true })

if (!hasRedisServer()) {
  console.log(`No redis-server at ${REDIS_SERVER_PATH}: skipping the fault tests (set REDIS_SERVER_PATH).`)
  process.exit(0)
}

const admin = { authorization: `Bearer ${await adminToken(JWT_SECRET, "user_faults")}` }
let postgres, redis, server, worker, env, db, storefront
const products = []
const brands = []

/** The cluster's settings, kept for restarting it on the same port. */
const cluster = { dir: resolve(root, ".data/faults-postgres"), port: 0, database: "faults" }

before(async () => {
  cluster.port = await freePort()
  postgres = await startEmbeddedPostgres(cluster)
  // A fresh database each run.
  const admin_ = new pg.Client({ connectionString: postgres.url.replace(/\/faults$/, "/postgres") })
  await admin_.connect()
  await admin_.query("drop database if exists faults with (force)")
  await admin_.query("create database faults")
  await admin_.end()
  redis = await startOwnRedis({ dir: resolve(root, ".data/faults-redis") })
  env = medusaEnv({
    DATABASE_URL: postgres.url,
    REDIS_URL: redis.url,
    NODE_ENV: "production",
    JWT_SECRET,
    COOKIE_SECRET: JWT_SECRET,
    DATABASE_ACQUIRE_TIMEOUT_MS: String(ACQUIRE_TIMEOUT_MS),
    // The load comes from one client: measure faults, not throttling.
    GRAPHQL_RATE_LIMIT_RESTORE_RATE: "1000000000",
  })
  let started = Date.now()
  await runMedusa(["db:migrate"], env)
  console.log(`# database migrated (${seconds(started)})`)
  started = Date.now()
  ;[worker, server] = await Promise.all([startWorker(), startServer()])
  console.log(`# server and worker up (${seconds(started)})`)
  // A pool: its connections are made again after PostgreSQL restarts.
  db = new pg.Pool({ connectionString: postgres.url, max: 2 })
  db.on("error", () => {})

  const keys = await call("GET", "/admin/api-keys?type=publishable")
  storefront = { "x-publishable-api-key": keys.body.api_keys[0].token }
  await waitFor(() => /\[Search\] Seeded/.test(worker.output()), 60_000, "the worker to fill the search index")
  for (let i = 0; i < 3; i++) {
    const res = await gql(`mutation ($n: String!) { brandCreate(input: { name: $n }) { brand { id } userErrors { code } } }`, { n: `Fault brand ${i}` })
    brands.push(res.body.data.brandCreate.brand.id)
  }
  for (let i = 0; i < 10; i++) products.push(await createProduct(`Fault product ${i}`, brands[i % brands.length]))
})

after(async () => {
  await db?.end().catch(() => {})
  await Promise.all([server?.stop(), worker?.stop()])
  await redis?.stop()
  await postgres?.stop()
})

test("PostgreSQL restarted under load: requests fail fast with DATABASE_UNAVAILABLE, and the same process serves again", async () => {
  const pid = server.pid
  const run = load()
  await sleep(3000)
  const stoppedAt = Date.now()
  await postgres.stop()
  await sleep(outageSeconds * 1000)
  const restartedAt = Date.now()
  postgres = await startEmbeddedPostgres(cluster)
  const recoveredAt = await recovered(restartedAt)
  await sleep(2000)
  const results = await run.stop()

  const down = results.filter((r) => r.start >= stoppedAt && r.end <= restartedAt)
  report("PostgreSQL down", down)
  report("after restart", results.filter((r) => r.start >= recoveredAt))
  console.log(`# serving again ${seconds(restartedAt, recoveredAt)} after PostgreSQL was started again`)
  assert.ok(down.length > 0, "requests were made while PostgreSQL was down")
  assertAnswered(results, stoppedAt, restartedAt)
  for (const r of down.filter((r) => r.status !== 200)) {
    assert.equal(r.status, 503, `${r.op} answered ${r.status} ${r.code}`)
    assert.match(r.code, /^(DATABASE_UNAVAILABLE|database_unavailable)$/, `${r.op} answered ${r.code}`)
  }
  assert.ok(down.some((r) => r.status === 503), "some requests failed while PostgreSQL was down")
  assert.equal(server.pid, pid)
  assert.equal(server.exited(), false, "the server process is still running")
  assert.equal(worker.exited(), false, "the worker process is still running")
  assert.ok(results.filter((r) => r.start >= recoveredAt).every((r) => r.status === 200), "every request succeeds once PostgreSQL is back")
})

test("Redis restarted under load: reads go on, writes fail fast with REDIS_UNAVAILABLE and write nothing", async () => {
  const pid = server.pid
  const created = []
  const run = load({ onBrandCreate: (name, ok) => created.push({ name, ok }) })
  await sleep(3000)
  const stoppedAt = Date.now()
  await redis.stop()
  await sleep(outageSeconds * 1000)
  const restartedAt = Date.now()
  await redis.start()
  const recoveredAt = await recovered(restartedAt)
  await sleep(2000)
  const results = await run.stop()

  const down = results.filter((r) => r.start >= stoppedAt && r.end <= restartedAt)
  report("Redis down", down)
  report("after restart", results.filter((r) => r.start >= recoveredAt))
  console.log(`# serving writes again ${seconds(restartedAt, recoveredAt)} after Redis was started again`)
  assertAnswered(results, stoppedAt, restartedAt)
  const reads = down.filter((r) => r.kind === "read")
  const writes = down.filter((r) => r.kind === "write")
  assert.ok(reads.length > 0 && writes.length > 0, "reads and writes were made while Redis was down")
  assert.deepEqual(reads.filter((r) => r.status !== 200).map((r) => `${r.op} ${r.status} ${r.code}`), [], "every read succeeds from PostgreSQL")
  for (const r of writes.filter((r) => r.status !== 200)) {
    assert.equal(r.status, 503, `${r.op} answered ${r.status} ${r.code}`)
    assert.match(r.code, /^(REDIS_UNAVAILABLE|redis_unavailable)$/, `${r.op} answered ${r.code}`)
  }
  // A brand whose creation failed was not written.
  const failed = created.filter((c) => !c.ok).map((c) => c.name)
  const { rows } = await db.query("select name from brand where name = any($1)", [failed])
  assert.deepEqual(rows, [], "no brand whose creation failed exists")
  assert.equal(server.pid, pid)
  assert.equal(server.exited(), false)
  assert.ok(results.filter((r) => r.start >= recoveredAt).every((r) => r.status === 200), "every request succeeds once Redis is back")
})

test("the process running a brand change killed half-way, after the old link was dismissed and before the new one was made: the product keeps its old brand", async () => {
  const [from, to] = [brands[0], brands[1]]
  const product = await createProduct("Half-changed product", from)
  // A soft-deleted row for (product, to): the change makes it live again, and waits on its row lock.
  for (const b of [to, from]) assert.deepEqual((await setBrand(product, b)).body.data.productSetBrand.userErrors, [])
  const locker = new pg.Client({ connectionString: postgres.url })
  await locker.connect()
  try {
    await locker.query("begin")
    await locker.query(`select 1 from ${LINK_TABLE} where product_id = $1 and brand_id = $2 for update`, [product, to])
    const change = setBrand(product, to).catch(() => null)
    // The change has dismissed the old link (in its transaction) and waits to make the new one.
    await waitFor(async () => (await waitingOnLinkTable()).length > 0, 10_000, "the brand change to wait on the new link's row")
    await server.kill()
    await change
    await terminateWaiting()
  } finally {
    await locker.query("rollback").catch(() => {})
    await locker.end()
  }
  const restarted = startServer()
  const brandsNow = await liveBrandsOf(product)
  console.log(`# killed half-way through a brand change: the product's live brands ${JSON.stringify(brandsNow)} (old ${from}, new ${to})`)
  assert.deepEqual(brandsNow, [from], "the product keeps its old brand")
  server = await restarted
  // A later change goes through (once the dead process's lock on the product has expired).
  assert.deepEqual((await setBrand(product, to)).body.data.productSetBrand.userErrors, [])
  assert.deepEqual(await liveBrandsOf(product), [to])
})

test("the server killed at random moments while brand changes run: every product has exactly one brand, the old or the new", async () => {
  const rounds = Number(process.env.FAULTS_BRAND_KILL_ROUNDS || 4)
  for (let round = 1; round <= rounds; round++) {
    const before = new Map(await Promise.all(products.map(async (p) => [p, await liveBrandsOf(p)])))
    const asked = new Map(products.map((p) => [p, new Set(before.get(p))]))
    const answers = []
    let running = true
    const client = async () => {
      while (running) {
        const p = products[Math.floor(Math.random() * products.length)]
        const b = brands[Math.floor(Math.random() * brands.length)]
        asked.get(p).add(b)
        const res = await setBrand(p, b).catch(() => null)
        if (res && running) answers.push(res)
      }
    }
    const clients = Array.from({ length: connections }, client)
    // A different moment each round, from early in a change's life to deep into the load.
    const delay = 300 + Math.floor(Math.random() * 1500)
    await sleep(delay)
    // Kill while a change is inside its transaction (after a kill, changes
    // first wait for the dead process's Redis locks to expire).
    let inFlight = 0
    try {
      await waitFor(async () => (inFlight = (await changesInFlight()).length) > 0, 30_000, "a brand change in flight")
      await server.kill()
    } finally {
      running = false
      await Promise.all(clients)
    }
    await terminateWaiting()
    await waitFor(async () => (await changesInFlight()).length === 0, 15_000, "the killed server's sessions to end")

    const after = new Map(await Promise.all(products.map(async (p) => [p, await liveBrandsOf(p)])))
    const changed = products.filter((p) => after.get(p)[0] !== before.get(p)[0]).length
    console.log(
      `# round ${round}: killed after ${delay} ms or more, with ${inFlight} brand changes in flight; ` +
        `${answers.length} changes answered before; ${changed} of ${products.length} products changed brand`
    )
    assert.deepEqual(
      answers.filter((r) => r.status !== 200 || r.body?.errors || r.body?.data?.productSetBrand?.userErrors?.length).map((r) => JSON.stringify(r.body)),
      [],
      "concurrent changes all succeed"
    )
    for (const p of products) {
      const live = after.get(p)
      assert.equal(live.length, 1, `product ${p} has exactly one live brand (has ${JSON.stringify(live)})`)
      assert.ok(asked.get(p).has(live[0]), `product ${p}'s brand is its old one or one it was given`)
    }
    server = await startServer()
  }
})

test("the process running a brand deletion killed half-way: a worker finishes the deletion", async () => {
  const brand = await newBrandWithProducts("Half-deleted brand", 20)
  const locker = new pg.Client({ connectionString: postgres.url })
  await locker.connect()
  let killedAt
  try {
    // Reads of the link table go on; the deletion's dismissal of the links waits here.
    await locker.query("begin")
    await locker.query("lock table product_product_brand_brand in exclusive mode")
    const deletion = call("DELETE", `/admin/brands/${brand.id}`).catch(() => null)
    await waitFor(async () => (await brandRow(brand.id))?.deleted_at, 10_000, "the brand row to be deleted")
    await server.kill()
    killedAt = Date.now()
    await deletion
    // The killed process's session dies with it, as when its host goes down
    // (PostgreSQL would otherwise notice only once the waiting statement ran).
    await locker.query(
      `select pg_terminate_backend(pid) from pg_stat_activity
        where pid <> pg_backend_pid() and wait_event_type = 'Lock' and query ilike '%product_product_brand_brand%'`
    )
  } finally {
    await locker.query("rollback").catch(() => {})
    await locker.end()
  }
  // A new server for the tests after this one (the worker does the finishing).
  const restarted = startServer()
  const halfway = await state(brand)
  console.log(`# killed half-way: brand ${halfway.brandDeleted ? "deleted" : "live"}, ${halfway.liveLinks} of 20 links live`)
  assert.deepEqual(halfway, { brandDeleted: true, liveLinks: 20 }, "the kill left the deletion half-done")

  let settled
  await waitFor(
    async () => {
      settled = await state(brand)
      return settled.liveLinks === 0
    },
    REPAIR_WAIT_MS,
    "the deletion to be finished"
  )
  console.log(`# finished ${seconds(killedAt)} after the kill: brand ${settled.brandDeleted ? "deleted" : "live"}, ${settled.liveLinks} links live`)
  assert.deepEqual(settled, { brandDeleted: true, liveLinks: 0 })
  server = await restarted
})

test("the worker killed during a brand deletion: the deletion is whole, writes go on, and a new worker handles the events left behind", async () => {
  const brand = await newBrandWithProducts("Worker-killed brand", 5)
  // The worker dies as the deletion runs (on the server, which ran it whole).
  const deleting = call("DELETE", `/admin/brands/${brand.id}`)
  await worker.kill()
  const killedAt = Date.now()
  const res = await deleting
  assert.equal(res.status, 200)
  const now = await state(brand)
  console.log(`# worker killed: deletion answered ${res.status}; brand ${now.brandDeleted ? "deleted" : "live"}, ${now.liveLinks} links live`)
  assert.deepEqual(now, { brandDeleted: true, liveLinks: 0 })

  // Writes go on without a worker; their events wait in Redis.
  const word = `phoenix${Date.now().toString(36)}`
  const renamed = await call("POST", `/admin/products/${brand.productIds[0]}`, { title: `Renamed ${word}` })
  assert.equal(renamed.status, 200)
  const search = async () =>
    (await gql(`query ($q: String!) { searchProducts(query: $q, first: 5) { nodes { id } } }`, { q: word }, { "cache-control": "no-cache" }))
      .body.data.searchProducts.nodes.map((n) => n.id)
  await sleep(2000)
  assert.deepEqual(await search(), [], "no worker: the search index has not followed the rename")

  worker = await startWorker()
  await waitFor(async () => (await search()).includes(brand.productIds[0]), 60_000, "the new worker to handle the rename's events")
  console.log(`# the new worker handled the events left behind; the rename is searchable ${seconds(killedAt)} after the kill`)
})

// ---------------------------------------------------------------------------

function startServer() {
  return freePort().then((port) =>
    startMedusa({ name: "server", port, env: { ...env, MEDUSA_WORKER_MODE: "server" }, logFile: resolve(logs, "faults-server.log") })
  )
}

function startWorker() {
  return freePort().then((port) =>
    startMedusa({ name: "worker", port, env: { ...env, MEDUSA_WORKER_MODE: "worker" }, logFile: resolve(logs, "faults-worker.log") })
  )
}

const seconds = (from, to = Date.now()) => `${((to - from) / 1000).toFixed(1)} s`

async function call(method, path, body, headers = admin, timeoutMs = 30_000) {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  })
  return { status: res.status, body: await res.json().catch(() => null) }
}

const gql = (query, variables = {}, headers = {}) => call("POST", "/graphql", { query, variables }, { ...admin, ...headers })
/** As a storefront: its publishable key, no admin credentials. */
const gqlStorefront = (query) => call("POST", "/graphql", { query }, storefront)

async function createProduct(title, brandId) {
  const res = await call("POST", "/admin/products", {
    title,
    status: "published",
    options: [{ title: "Size", values: ["One size"] }],
    additional_data: brandId ? { brand_id: brandId } : undefined,
  })
  assert.equal(res.status, 200, JSON.stringify(res.body))
  return res.body.product.id
}

async function newBrandWithProducts(name, count) {
  const res = await gql(`mutation ($n: String!) { brandCreate(input: { name: $n }) { brand { id } } }`, { n: name })
  const id = res.body.data.brandCreate.brand.id
  const ids = []
  for (let i = 0; i < count; i++) ids.push(await createProduct(`${name} product ${i}`, id))
  return { id, productIds: ids }
}

const LINK_TABLE = "product_product_brand_brand"
/** A brand change's statements: its product locks, then the link table. */
const BRAND_CHANGE_SQL = `(query ilike '%${LINK_TABLE}%' or query ilike '%pg_advisory_xact_lock%')`

const setBrand = (productId, brandId) =>
  gql(`mutation ($p: ID!, $b: ID!) { productSetBrand(productId: $p, brandId: $b) { userErrors { code } } }`, { p: productId, b: brandId })

/** The brands a product has live links to. */
async function liveBrandsOf(productId) {
  const { rows } = await db.query(`select brand_id from ${LINK_TABLE} where product_id = $1 and deleted_at is null order by brand_id`, [productId])
  return rows.map((r) => r.brand_id)
}

/** Sessions in a transaction over the link table (ours excluded). */
async function changesInFlight() {
  const { rows } = await db.query(
    `select pid from pg_stat_activity where pid <> pg_backend_pid() and datname = current_database()
        and state in ('active', 'idle in transaction') and ${BRAND_CHANGE_SQL}`
  )
  return rows
}

async function waitingOnLinkTable() {
  const { rows } = await db.query(
    `select pid from pg_stat_activity where pid <> pg_backend_pid() and wait_event_type = 'Lock' and query ilike '%${LINK_TABLE}%'`
  )
  return rows
}

/**
 * A killed process's sessions die with it, as when its host goes down
 * (PostgreSQL would otherwise notice only once a waiting statement ran).
 */
async function terminateWaiting() {
  await db.query(
    `select pg_terminate_backend(pid) from pg_stat_activity
      where pid <> pg_backend_pid() and wait_event_type = 'Lock' and ${BRAND_CHANGE_SQL}`
  )
}

async function brandRow(id) {
  return (await db.query("select id, deleted_at from brand where id = $1", [id])).rows[0]
}

/** Whether the brand is deleted, and how many live links its products have to it. */
async function state(brand) {
  const row = await brandRow(brand.id)
  const { rows } = await db.query(
    "select count(*)::int as n from product_product_brand_brand where brand_id = $1 and deleted_at is null",
    [brand.id]
  )
  return { brandDeleted: !!row.deleted_at, liveLinks: rows[0].n }
}

async function waitFor(check, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (await Promise.resolve(check()).catch(() => false)) return
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what} after ${timeoutMs / 1000} s`)
    await sleep(100)
  }
}

/** Waits until a write and a read both succeed again; returns when. */
async function recovered(since) {
  await waitFor(
    async () => {
      const write = await call("POST", `/admin/products/${products[0]}`, { subtitle: `recovered ${Date.now()}` }, admin, 10_000)
      const read = await gql(`{ products(first: 1) { nodes { id } } }`, {}, { "cache-control": "no-cache" })
      return write.status === 200 && read.status === 200 && !read.body.errors
    },
    60_000,
    `the server to serve again (since ${new Date(since).toISOString()})`
  )
  return Date.now()
}

/**
 * `connections` clients in a loop of reads (GraphQL as a storefront, cached;
 * GraphQL as an admin with no-cache; admin REST) and writes (productSetBrand,
 * a product's subtitle over REST, brandCreate), each request timed.
 */
function load({ onBrandCreate = () => {} } = {}) {
  const results = []
  let running = true
  let n = 0
  const ops = [
    ["read", "graphql storefront", () => gqlStorefront(`{ products(first: 10) { nodes { id title brand { name } } } }`)],
    ["read", "graphql admin no-cache", () => gql(`{ products(first: 10) { nodes { id title brand { name } } } }`, {}, { "cache-control": "no-cache" })],
    ["read", "rest GET /admin/products", () => call("GET", "/admin/products?limit=10&fields=id,title")],
    ["write", "graphql productSetBrand", () =>
      gql(`mutation ($p: ID!, $b: ID!) { productSetBrand(productId: $p, brandId: $b) { userErrors { code } } }`, {
        p: products[n % products.length],
        b: brands[n % brands.length],
      })],
    ["write", "rest POST /admin/products/:id", () => call("POST", `/admin/products/${products[n % products.length]}`, { subtitle: `load ${n}` })],
    ["write", "graphql brandCreate", async () => {
      const name = `Load brand ${Date.now()} ${n}`
      const res = await gql(`mutation ($n: String!) { brandCreate(input: { name: $n }) { brand { id } userErrors { code } } }`, { n: name })
      onBrandCreate(name, res.status === 200 && !!res.body?.data?.brandCreate?.brand)
      return res
    }],
  ]
  const client = async () => {
    while (running) {
      const [kind, op, send] = ops[n++ % ops.length]
      const start = Date.now()
      let status = 0
      let code = "no answer"
      try {
        const res = await send()
        status = res.status
        code = res.body?.errors?.[0]?.extensions?.code ?? res.body?.type ?? ""
      } catch (error) {
        code = error.name === "TimeoutError" ? "client timeout (30 s)" : error.message
      }
      results.push({ kind, op, start, end: Date.now(), ms: Date.now() - start, status, code })
    }
  }
  const clients = Array.from({ length: connections }, client)
  return {
    stop: async () => {
      running = false
      await Promise.all(clients)
      return results
    },
  }
}

/**
 * Every request was answered, none with a 5xx but 503, and none of those
 * that overlapped the outage took longer than BOUND_MS.
 */
function assertAnswered(results, from, to) {
  const during = results.filter((r) => r.end >= from && r.start <= to)
  const slowest = during.reduce((a, r) => (r.ms > a.ms ? r : a), { ms: 0 })
  console.log(`# slowest request during the outage: ${slowest.op}, ${slowest.ms} ms (${slowest.status} ${slowest.code || "ok"})`)
  assert.ok(slowest.ms <= BOUND_MS, `no request during the outage takes longer than ${BOUND_MS} ms (slowest: ${slowest.op}, ${slowest.ms} ms, ${slowest.status} ${slowest.code})`)
  assert.deepEqual(results.filter((r) => r.status === 0).map((r) => `${r.op}: ${r.code}`), [], "every request is answered")
  assert.deepEqual(results.filter((r) => r.status >= 500 && r.status !== 503).map((r) => `${r.op}: ${r.status} ${r.code}`), [], "no 5xx but 503")
}

function report(label, results) {
  const by = new Map()
  for (const r of results) {
    const key = `${r.status} ${r.code || "ok"}`
    by.set(key, (by.get(key) ?? 0) + 1)
  }
  const ms = results.map((r) => r.ms)
  console.log(
    `# ${label}: ${results.length} requests; ${[...by].map(([k, v]) => `${v} × ${k}`).join(", ")}; ` +
      `p50 ${percentile(ms, 50)} ms, p99 ${percentile(ms, 99)} ms, max ${Math.max(0, ...ms)} ms`
  )
}
