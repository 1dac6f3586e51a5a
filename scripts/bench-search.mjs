// `npm run bench:search`: product search at 1,000, 10,000 and 100,000 products.
//
// For each size: a database of its own (on the server BENCH_SEARCH_DATABASE_URL
// names, else an embedded PostgreSQL in .data/bench-search-postgres), migrated
// by `medusa db:migrate`, seeded straight into PostgreSQL
// (src/scripts/bench-search-seed.ts: 200 brands, 50 categories), the search
// index built by `npm run search:reindex`'s script (timed), then a
// production-mode server and, in turns, at BENCH_CONNECTIONS (10):
//   search:    searchProducts(query: "kettle", first: 20) with totalCount and
//              brand and category facets, uncached: each request carries one
//              more variable, unused, with a new value, so that no two share
//              a response cache key and every one queries the index; answered
//              from the server's in-memory copy of the index; the hits'
//              products are the same every time, and come from the products
//              the server keeps once read (RESPONSE_CACHE_MAX_RECORDS)
//   search, products read: the same, on a server that keeps no product
//              (RESPONSE_CACHE_MAX_RECORDS=0): every request reads its hits
//              through Query, as a search whose hits were never read before
//   search, PostgreSQL: the same as search, on a server with
//              SEARCH_REPLICA=false (one SQL statement over the index table)
//   (the three servers run side by side and are measured in turns)
//   contains:  products(first: 20, filter: { title: { contains: "kettle" } })
//              with totalCount, uncached the same way: the filter search replaces
//   search, cached: the search as a storefront sends it again and again,
//              answered from the response cache
// both with the bench sales channel's publishable key. Prints the build time,
// p50/p99 and req/s per size, and how each grows from the smallest size.
// Settings: BENCH_SEARCH_SIZES (1000,10000,100000), BENCH_SEARCH_PORT (9317), BENCH_ROUNDS (3),
// BENCH_SECONDS (8), BENCH_CONNECTIONS (10), BENCH_KEEP=1 keeps the databases.
import { spawn } from "node:child_process"
import { resolve } from "node:path"
import autocannon from "autocannon"
import pg from "pg"
import { startEmbeddedPostgres } from "./embedded-postgres.mjs"
import { median } from "./lib/stats.mjs"

const root = resolve(import.meta.dirname, "..")
const sizes = (process.env.BENCH_SEARCH_SIZES || "1000,10000,100000").split(",").map(Number)
const rounds = Number(process.env.BENCH_ROUNDS || 3)
const seconds = Number(process.env.BENCH_SECONDS || 8)
const connections = Number(process.env.BENCH_CONNECTIONS || 10)
const port = Number(process.env.BENCH_SEARCH_PORT || 9317)
const QUERY_WORD = "kettle"

const SEARCH = `query ($q: String!) { searchProducts(query: $q, first: 20) {
  totalCount nodes { id title brand { id name } }
  facets { brands { brand { id name } count } categories { category { id name } count } } } }`
const CONTAINS = `query ($q: String!) { products(first: 20, filter: { title: { contains: $q } }) {
  totalCount nodes { id title brand { id name } } } }`

let postgres = null
/** The servers running, by port. */
const servers = new Map()
let serverUrl = process.env.BENCH_SEARCH_DATABASE_URL
if (!serverUrl) {
  postgres = await startEmbeddedPostgres({
    dir: resolve(root, ".data/bench-search-postgres"),
    port: Number(process.env.BENCH_SEARCH_PG_PORT || 54333),
    database: "postgres",
  })
  serverUrl = postgres.url
}

const results = []
try {
  for (const size of sizes) results.push(await benchSize(size))
  report(results)
} finally {
  await stopServers()
  if (postgres) await postgres.stop()
}

async function benchSize(size) {
  const database = `bench_search_${size}`
  const url = databaseUrl(database)
  console.log(`\n== ${size.toLocaleString("en")} products (${database})`)
  await admin(`drop database if exists ${database} with (force)`)
  await admin(`create database ${database}`)
  try {
    await medusa(url, ["db:migrate"])
    const seed = await medusa(url, ["exec", "./src/scripts/bench-search-seed.ts", String(size)])
    console.log(seed.trim())
    // The script logs the module's own time for the rebuild, boot left out.
    const reindex = await medusa(url, ["exec", "./src/scripts/search-reindex.ts"], "info")
    const buildMs = Number(/rebuilt \S+ in (\d+) ms/.exec(reindex)?.[1])
    if (!buildMs) throw new Error(`search:reindex did not say how long it took:\n${reindex}`)
    console.log(`index built in ${(buildMs / 1000).toFixed(1)} s`)

    const base = await startServer(url, port)
    const withoutCopy = await startServer(url, port + 1, { SEARCH_REPLICA: "false" })
    const readingProducts = await startServer(url, port + 2, { RESPONSE_CACHE_MAX_RECORDS: "0" })
    const key = await one(url, `select token from api_key where title = 'Bench key' and revoked_at is null`)
    const headers = { "content-type": "application/json", "x-publishable-api-key": key }
    const targets = [
      { name: "search", headers, query: SEARCH, uncached: true },
      { name: "search, products read", headers, query: SEARCH, uncached: true, base: readingProducts },
      { name: "search, PostgreSQL", headers, query: SEARCH, uncached: true, base: withoutCopy },
      { name: "contains", headers, query: CONTAINS, uncached: true },
      { name: "search, cached", headers, query: SEARCH },
    ]
    let nonce = 0
    for (const t of targets) {
      t.body = JSON.stringify({ query: t.query, variables: { q: QUERY_WORD } })
      // A new value of a variable the operation does not declare: the same work, another cache key.
      const fresh = (req) => ({ ...req, body: JSON.stringify({ query: t.query, variables: { q: QUERY_WORD, nonce: ++nonce } }) })
      t.requests = t.uncached ? [{ setupRequest: fresh }] : undefined
    }
    for (const t of targets) {
      const res = await fetch(`${t.base ?? base}/graphql`, { method: "POST", headers: t.headers, body: t.body })
      const json = await res.json()
      if (!res.ok || json.errors) throw new Error(`${t.name}: ${res.status} ${JSON.stringify(json.errors)}`)
      const data = json.data.searchProducts ?? json.data.products
      t.totalCount = data.totalCount
      if (json.data.searchProducts) t.facets = `${data.facets.brands.length} brands, ${data.facets.categories.length} categories`
    }
    console.log(
      `"${QUERY_WORD}": search finds ${targets[0].totalCount} (facets: ${targets[0].facets}), contains finds ${targets.find((t) => t.name === "contains").totalCount}`
    )
    for (const server of [base, readingProducts]) await replicaFilled(url, server, targets[0])
    const runs = Object.fromEntries(targets.map((t) => [t.name, []]))
    for (let round = 1; round <= rounds; round++) {
      for (const t of round % 2 ? targets : [...targets].reverse()) {
        const r = await autocannon({
          url: `${t.base ?? base}/graphql`,
          method: "POST",
          headers: t.headers,
          body: t.body,
          requests: t.requests,
          connections,
          duration: seconds,
        })
        if (r.non2xx || r.errors) throw new Error(`${t.name}: ${r.non2xx} non-2xx, ${r.errors} errors`)
        runs[t.name].push({ rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99 })
        console.log(`round ${round}  ${t.name.padEnd(22)} ${r.requests.average.toFixed(1).padStart(7)} req/s  p50 ${r.latency.p50} ms  p99 ${r.latency.p99} ms`)
      }
    }
    await stopServers()
    const summary = (name) => ({
      rps: median(runs[name].map((r) => r.rps)),
      p50: median(runs[name].map((r) => r.p50)),
      p99: median(runs[name].map((r) => r.p99)),
    })
    return {
      size,
      buildMs,
      search: summary("search"),
      searchReading: summary("search, products read"),
      searchPostgres: summary("search, PostgreSQL"),
      contains: summary("contains"),
      searchCached: summary("search, cached"),
    }
  } finally {
    await stopServers()
    if (!process.env.BENCH_KEEP) await admin(`drop database if exists ${database} with (force)`)
  }
}

/**
 * Waits until searches stop reading the index table: the server's in-memory
 * copy of the index (filled on the first search) answers them from then on.
 * Times the fill, as the server saw it, from the first search.
 */
async function replicaFilled(url, base, target) {
  if (/^(0|false|no|off)$/i.test(process.env.SEARCH_REPLICA ?? "")) return
  const reads = () =>
    one(url, `select coalesce(sum(seq_scan + coalesce(idx_scan, 0)), 0)::bigint from pg_stat_user_tables where relname like 'search_pg_%'`)
  const send = () => fetch(`${base}/graphql`, { method: "POST", headers: target.headers, body: target.body }).then((r) => r.json())
  const started = Date.now()
  let last = null
  let quiet = 0
  while (Date.now() - started < 120_000) {
    await send()
    // Statistics reach pg_stat_user_tables with a delay; several quiet searches in a row count.
    await new Promise((r) => setTimeout(r, 700))
    const now = String(await reads())
    quiet = now === last ? quiet + 1 : 0
    last = now
    if (quiet >= 3) {
      console.log(`in-memory index copy answering after ${((Date.now() - started) / 1000).toFixed(1)} s`)
      return
    }
  }
  console.log("searches still read the index table after 120 s: measuring them as they are")
}

function report(rows) {
  console.log(`\n== medians (${rounds} rounds x ${seconds} s, ${connections} connections)\n`)
  console.log(
    "| products | index build | search, uncached: p50 / p99, req/s | search, products read each time | search without the copy (PostgreSQL) | contains, uncached | search, cached |"
  )
  console.log("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
  const cell = (x) => `${x.p50} / ${x.p99} ms, ${x.rps.toFixed(0)}`
  for (const r of rows) {
    console.log(
      `| ${r.size.toLocaleString("en")} | ${(r.buildMs / 1000).toFixed(1)} s | ${cell(r.search)} | ${cell(r.searchReading)} | ${cell(r.searchPostgres)} | ${cell(r.contains)} | ${cell(r.searchCached)} |`
    )
  }
  const [first] = rows
  console.log(`\ngrowth from ${first.size.toLocaleString("en")} products:`)
  for (const r of rows.slice(1)) {
    console.log(
      `  ${r.size.toLocaleString("en")}: build x${(r.buildMs / first.buildMs).toFixed(1)}, ` +
        `search p50 x${(r.search.p50 / first.search.p50).toFixed(1)}, ` +
        `products read x${(r.searchReading.p50 / first.searchReading.p50).toFixed(1)}, ` +
        `without the copy x${(r.searchPostgres.p50 / first.searchPostgres.p50).toFixed(1)}, ` +
        `contains p50 x${(r.contains.p50 / first.contains.p50).toFixed(1)}`
    )
  }
}

function databaseUrl(database) {
  const url = new URL(serverUrl)
  url.pathname = `/${database}`
  return url.toString()
}

async function admin(sql) {
  const client = new pg.Client({ connectionString: databaseUrl("postgres") })
  await client.connect()
  try {
    await client.query(sql)
  } finally {
    await client.end()
  }
}

async function one(url, sql) {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return Object.values((await client.query(sql)).rows[0])[0]
  } finally {
    await client.end()
  }
}

/** Runs a medusa command on the database; resolves with its standard output. */
function medusa(url, args, logLevel = "error") {
  return new Promise((ok, fail) => {
    const child = spawn(resolve(root, "node_modules/.bin/medusa"), args, {
      cwd: root,
      // Seeding and building the index are bulk work: no statement timeout.
      env: { ...process.env, DATABASE_URL: url, MEDUSA_DISABLE_TELEMETRY: "true", LOG_LEVEL: logLevel, DATABASE_STATEMENT_TIMEOUT_MS: "0" },
      stdio: ["ignore", "pipe", "pipe"],
    })
    let out = ""
    child.stdout.on("data", (d) => (out += d))
    child.stderr.on("data", (d) => {
      out += d
      if (logLevel === "error") process.stderr.write(d)
    })
    child.on("exit", (code) => (code === 0 ? ok(out) : fail(new Error(`medusa ${args.join(" ")} exited with ${code}`))))
  })
}

async function startServer(url, port, env = {}) {
  const server = spawn(process.execPath, [resolve(root, "scripts/start.mjs")], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: url,
      PORT: String(port),
      NODE_ENV: "production",
      JWT_SECRET: process.env.JWT_SECRET || "bench-search-jwt",
      COOKIE_SECRET: process.env.COOKIE_SECRET || "bench-search-cookie",
      LOG_LEVEL: "error",
      // The bench measures reads, not throttling (see scripts/bench.mjs).
      GRAPHQL_RATE_LIMIT_RESTORE_RATE: "1000000000",
      ...env,
    },
    stdio: ["ignore", "ignore", "inherit"],
  })
  servers.set(port, server)
  const base = `http://localhost:${port}`
  const deadline = Date.now() + 180_000
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${base}/health`)).ok) return base
    } catch {}
    await new Promise((r) => setTimeout(r, 500))
  }
  throw new Error("the server did not come up")
}

async function stopServers() {
  await Promise.all(
    [...servers.values()].map((server) => {
      const exited = new Promise((r) => server.once("exit", r))
      server.kill("SIGTERM")
      return exited
    })
  )
  servers.clear()
}

