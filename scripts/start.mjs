// `npm start`: the API with demo data on a machine with nothing but Node.
//
// Without DATABASE_URL it boots an embedded PostgreSQL in .data/postgres
// (port EMBEDDED_PG_PORT, default 54329), migrates, seeds on the first boot,
// then runs Medusa. With DATABASE_URL set it migrates that database and runs
// Medusa against it; nothing else is started.
//
// The console gets one line per stage (database, migrations, seed, server);
// everything the medusa commands print goes to START_LOG_FILE (default
// .data/logs/start.log, the previous run's kept as start.log.1). Once the
// server is up, its warnings and errors are shown on the console too.
// START_QUIET=false prints everything on the console as well.
import { spawn } from "node:child_process"
import { randomBytes } from "node:crypto"
import { createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs"
import { dirname, relative, resolve } from "node:path"
import { createServer } from "node:net"
import { createInterface } from "node:readline"
import pg from "pg"
import { startClusterSettings, startEmbeddedPostgres } from "./embedded-postgres.mjs"
import { loadEnvFiles } from "./lib/env-files.mjs"

const root = resolve(import.meta.dirname, "..")

loadEnvFiles(root)
const medusaBin = resolve(root, "node_modules/.bin/medusa")
const command = process.env.MEDUSA_COMMAND || "start"
const env = { ...process.env, MEDUSA_DISABLE_TELEMETRY: process.env.MEDUSA_DISABLE_TELEMETRY ?? "true" }
// A larger young generation for Medusa's processes: a request allocates much
// that dies young, and with V8's 16 MB semi-spaces a good part of it was
// promoted and left to full collections (an uncached search at 100,000
// products: 88.6 req/s, 101.2 with 32 MB, 2026-11). NODE_OPTIONS that
// name the size win; the Dockerfile sets the same.
if (!/--max-semi-space-size/.test(env.NODE_OPTIONS ?? "")) {
  env.NODE_OPTIONS = `${env.NODE_OPTIONS ?? ""} --max-semi-space-size=32`.trim()
}
// A bounded old generation: on a machine with much memory V8 lets garbage pile
// up to gigabytes between full collections (resident memory swung between 0.5
// and 1.2 GB in the soak); what stays alive is about 240 MB, plus at most
// RESPONSE_CACHE_MAX_BYTES of answers. Decision 0018. NODE_OPTIONS that name the size win.
if (!/--max-old-space-size/.test(env.NODE_OPTIONS ?? "")) {
  env.NODE_OPTIONS = `${env.NODE_OPTIONS} --max-old-space-size=384`
}

const STOP_TIMEOUT_MS = 15000

const quiet = !/^(0|false|no|off)$/i.test(process.env.START_QUIET ?? "")
const logPath = resolve(root, process.env.START_LOG_FILE || ".data/logs/start.log")
// Relative to where npm start runs, when it is below it.
const shownLogPath = relative(process.cwd(), logPath).startsWith("..") ? logPath : relative(process.cwd(), logPath)
mkdirSync(dirname(logPath), { recursive: true })
if (existsSync(logPath)) renameSync(logPath, `${logPath}.1`)
const log = createWriteStream(logPath, { flags: "w" })
log.write(`npm start, ${new Date().toISOString()}\n`)

/** Prints a line on the console and writes it to the log. */
function say(line, stream = process.stdout) {
  stream.write(`${line}\n`)
  log.write(`${line}\n`)
}

const STAGES = ["Database", "Migrations", "Seed", "Server"]
const stage = (name, text) => say(`[${STAGES.indexOf(name) + 1}/${STAGES.length}] ${name}: ${text}`)
const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)} s`

/** Warnings and errors in Medusa's log lines (JSON in production, "warn:"/"error:" in development). */
const IMPORTANT = /"level":"(warn|error)"|^\s*(warn|error)\b/i

let postgres = null
let child = null
let stopping = false
/** Whether the server is up: from then on its warnings and errors reach the console. */
let serving = false

/**
 * Runs a medusa command; its output goes to the log (and the last lines are
 * kept, to be shown if it fails). `watch` sees each line.
 */
function run(args, watch = () => {}) {
  return new Promise((resolveRun, reject) => {
    const tail = []
    child = spawn(medusaBin, args, { cwd: root, env, stdio: ["inherit", "pipe", "pipe"] })
    for (const [source, stream] of [
      [child.stdout, process.stdout],
      [child.stderr, process.stderr],
    ]) {
      createInterface({ input: source, crlfDelay: Infinity }).on("line", (line) => {
        log.write(`${line}\n`)
        tail.push(line)
        if (tail.length > 40) tail.shift()
        if (!quiet || (serving && IMPORTANT.test(line))) stream.write(`${line}\n`)
        watch(line)
      })
    }
    child.on("exit", (code, signal) => {
      child = null
      if (code === 0) return resolveRun()
      if (quiet && !stopping) {
        process.stderr.write(`\nmedusa ${args[0]} failed; its last lines (all of them in ${shownLogPath}):\n${tail.join("\n")}\n\n`)
      }
      reject(new Error(`medusa ${args[0]} exited with ${signal ?? code}`))
    })
  })
}

/**
 * Once the server answers, says where the GraphQL API listens and whether
 * the playground is on (asked of the server itself, so the line is true).
 */
async function announceWhenReady(started) {
  const base = `http://localhost:${process.env.PORT || 9000}`
  for (let i = 0; i < 600 && !stopping; i++) {
    try {
      const health = await fetch(`${base}/health`)
      await health.body?.cancel()
      if (health.ok) break
    } catch {}
    await new Promise((r) => setTimeout(r, 250))
  }
  if (stopping) return
  serving = true
  stage("Server", `listening on ${base} (${seconds(started)}).`)
  const page = await fetch(`${base}/graphql`, { method: "HEAD", headers: { accept: "text/html" } })
  const graphiql = page.ok && (page.headers.get("content-type") ?? "").includes("text/html")
  say(
    `GraphQL API listening on ${base}/graphql; GraphiQL playground ${
      graphiql ? `on: open ${base}/graphql in a browser` : "off (GRAPHIQL=true turns it on)"
    }.`
  )
  await announceStorefrontKeys()
  if (postgres) {
    say("Medusa CLI on this database: npm run medusa -- <command> (e.g. npm run medusa -- user -e you@example.com -p secret)")
  }
  say(`Full log: ${shownLogPath}`)
}

/** The demo sales channels' publishable keys, by title (DEMO_CHANNELS in src/scripts/demo-data.ts). */
const STOREFRONT_KEY_TITLES = ["Webshop key", "Wholesale key"]

/**
 * Prints the tokens of the demo storefronts' publishable API keys, read from
 * the database on every boot (the seed runs on the first one only). Prints
 * nothing when the database holds no such keys (an unseeded DATABASE_URL).
 */
async function announceStorefrontKeys() {
  const client = new pg.Client({ connectionString: env.DATABASE_URL })
  try {
    await client.connect()
    const { rows } = await client.query(
      `select title, token from api_key
        where type = 'publishable' and title = any($1) and revoked_at is null and deleted_at is null
        order by array_position($1, title), created_at`,
      [STOREFRONT_KEY_TITLES]
    )
    if (!rows.length) return
    say(
      "Storefront publishable API keys (send one as x-publishable-api-key to /store routes):\n" +
        rows.map((r) => `  ${r.title}: ${r.token}`).join("\n")
    )
  } catch {
    // No api_key table or no connection: nothing to announce.
  } finally {
    await client.end().catch(() => {})
  }
}

/**
 * JWT_SECRET and COOKIE_SECRET for a local cluster: those set in the
 * environment, else random ones made on its first boot and kept (owner-only)
 * in `file`, so that tokens stay valid across restarts.
 */
function clusterSecrets(file, env) {
  let kept = {}
  if (existsSync(file)) kept = JSON.parse(readFileSync(file, "utf8"))
  else {
    kept = { JWT_SECRET: randomBytes(32).toString("hex"), COOKIE_SECRET: randomBytes(32).toString("hex") }
    writeFileSync(file, JSON.stringify(kept), { mode: 0o600 })
  }
  return { JWT_SECRET: env.JWT_SECRET || kept.JWT_SECRET, COOKIE_SECRET: env.COOKIE_SECRET || kept.COOKIE_SECRET }
}

async function shutdown(code) {
  if (stopping) return
  stopping = true
  if (child) {
    const medusa = child
    const exited = new Promise((r) => medusa.once("exit", r))
    medusa.kill("SIGTERM")
    // Medusa's graceful shutdown waits for open requests (a streaming client
    // can hold one forever): give it a while, then stop it hard.
    const timer = setTimeout(() => {
      say(`Medusa did not stop within ${STOP_TIMEOUT_MS / 1000} s; killing it.`, process.stderr)
      medusa.kill("SIGKILL")
    }, STOP_TIMEOUT_MS)
    await exited
    clearTimeout(timer)
  }
  if (postgres) {
    await postgres.stop()
    say("Embedded PostgreSQL stopped.")
  }
  await new Promise((r) => log.end(r))
  process.exit(code)
}

/**
 * Whether something already listens on the server's port (another server):
 * the readiness wait below would take its answers for ours.
 */
function portTaken(port) {
  return new Promise((resolvePort) => {
    const probe = createServer()
    probe.once("error", (error) => resolvePort(error.code === "EADDRINUSE"))
    probe.listen(port, () => probe.close(() => resolvePort(false)))
  })
}

process.on("SIGINT", () => shutdown(0))
process.on("SIGTERM", () => shutdown(0))

try {
  const serverPort = Number(process.env.PORT || 9000)
  if (await portTaken(serverPort)) {
    throw new Error(`Port ${serverPort} is in use by another process: stop it, or set PORT to a free port.`)
  }
  let seed = process.env.SEED_DEMO_DATA === "true"
  let seedMarker = null
  let started = Date.now()
  if (!env.DATABASE_URL) {
    const cluster = startClusterSettings(root, process.env)
    const { port } = cluster
    postgres = await startEmbeddedPostgres({ dir: cluster.dir, port, database: cluster.database })
    env.DATABASE_URL = postgres.url
    // A local, throwaway setup: the playground is on unless turned off, with
    // the introspection its docs and completion need (production turns it off).
    env.GRAPHIQL ??= "true"
    env.GRAPHQL_INTROSPECTION ??= "true"
    const dataDir = cluster.dir
    // `medusa start` runs in production mode, which refuses to sign tokens and
    // cookies with a default secret: this cluster gets secrets of its own.
    Object.assign(env, clusterSecrets(`${dataDir}.secrets.json`, env))
    // Seed on the first boot of this cluster; the marker is written once the seed succeeded.
    seedMarker = `${dataDir}.seeded`
    // A new cluster is seeded even if a marker was left behind by a removed one.
    seed ||= postgres.isNew || !existsSync(seedMarker)
    stage(
      "Database",
      `Embedded PostgreSQL ${postgres.isNew ? "initialised and " : ""}listening on localhost:${port} ` +
        `(data in ${cluster.shownDir}; ${seconds(started)}).`
    )
  } else {
    const url = new URL(env.DATABASE_URL)
    stage("Database", `${url.hostname}:${url.port || 5432}${url.pathname} (DATABASE_URL).`)
  }

  started = Date.now()
  // Before a seed, the migration scripts run in the seed's process
  // (src/scripts/first-boot.ts): one boot of the application fewer.
  await run(seed ? ["db:migrate", "--skip-scripts"] : ["db:migrate"])
  stage("Migrations", `up to date (${seconds(started)}).`)

  if (seed) {
    started = Date.now()
    let summary = "done"
    await run(["exec", "./src/scripts/first-boot.ts"], (line) => {
      const match = /Demo data: [^"]*?(?=",|"$|$)/.exec(line)
      if (match) summary = match[0].replace(/\\"/g, '"')
    })
    if (seedMarker) writeFileSync(seedMarker, new Date().toISOString())
    stage("Seed", `${summary} (${seconds(started)}).`)
  } else {
    stage("Seed", `skipped: ${seedMarker ? "seeded on an earlier boot" : "DATABASE_URL is set"} (SEED_DEMO_DATA=true seeds).`)
  }

  started = Date.now()
  const server = run([command])
  announceWhenReady(started).catch(() => {})
  await server
  await shutdown(0)
} catch (error) {
  say(error instanceof Error ? error.message : String(error), process.stderr)
  await shutdown(1)
}
