// `npm run bench:soak`: ten minutes of mixed reads and writes at 20
// connections against one production-mode server, measured minute by
// minute: requests, req/s, p50 / p99 latency, status codes, and the server's
// resident memory (RSS, from its own /metrics) sampled every few seconds.
// Passes (exit code 0) when no request answered 5xx, every RSS sample stays
// under SOAK_MAX_RSS_MB (600), and the last minute's mean RSS is within 5% of
// the second minute's (the first is the server settling). The mean, not each
// sample: V8 lets the heap grow between major collections.
//
// Each connection cycles through, in this order:
//   storefront GraphQL (Webshop key): a listing of 20 products with brands, cached
//   storefront GraphQL: a product by handle with its brand and variants
//   admin GraphQL with Cache-Control: no-cache: 20 products with brands
//   GET /admin/products (20, with brand)
//   GET /store/products (20, Webshop key)
//   write: productSetBrand of a random product to a random brand (GraphQL)
//   write: a random product's subtitle (POST /admin/products/:id)
// so 5 reads to 2 writes.
//
// Without SOAK_URL it starts the app itself (npm start's path: an embedded
// PostgreSQL in .data/soak-postgres, demo data, `medusa start` in production
// mode) after a warm-up of SOAK_WARMUP_SECONDS (60: the JIT, pools, and
// caches filled to their steady size, entries living RESPONSE_CACHE_TTL); with SOAK_URL (and its
// METRICS_TOKEN) it measures that server, which must be seeded with the demo
// data and allow the load's rate (GRAPHQL_RATE_LIMIT_RESTORE_RATE).
// Settings: SOAK_SECONDS (600, in periods of 60 s), SOAK_MAX_RSS_MB (600), SOAK_CONNECTIONS (20),
// SOAK_PORT (9320), SOAK_PG_PORT (54334).
import { spawn } from "node:child_process"
import { randomBytes } from "node:crypto"
import { resolve } from "node:path"
import autocannon from "autocannon"
import { sleep } from "./lib/processes.mjs"
import { adminLogin } from "./lib/admin-login.mjs"

const root = resolve(import.meta.dirname, "..")
const totalSeconds = Number(process.env.SOAK_SECONDS || 600)
const maxRssMb = Number(process.env.SOAK_MAX_RSS_MB || 600)
const periodSeconds = 60
const warmupSeconds = Number(process.env.SOAK_WARMUP_SECONDS || 60)
const connections = Number(process.env.SOAK_CONNECTIONS || 20)
const port = Number(process.env.SOAK_PORT || 9320)
const metricsToken = process.env.METRICS_TOKEN || randomBytes(16).toString("hex")

let server = null
let base = process.env.SOAK_URL
let failed = false

try {
  if (!base) base = await startServer()
  const targets = await buildTargets()
  if (!process.env.SOAK_URL && warmupSeconds > 0) {
    console.log(`Warm-up: ${warmupSeconds} s at ${connections} connections (not counted).`)
    await run(targets, warmupSeconds)
  }
  const periods = Math.max(3, Math.round(totalSeconds / periodSeconds))
  console.log(`\n${periods * periodSeconds} s of mixed reads and writes at ${connections} connections, in periods of ${periodSeconds} s.\n`)
  const minutes = []
  for (let i = 1; i <= periods; i++) minutes.push(await run(targets, periodSeconds, true))

  console.log("| minute | requests | req/s | p50 | p99 | max | status codes | RSS mean | RSS max | heap used (end) |")
  console.log("| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: |")
  minutes.forEach((m, i) => {
    const codes = Object.entries(m.result.statusCodeStats).map(([code, { count }]) => `${count} × ${code}`).join(", ")
    console.log(
      `| ${i + 1} | ${m.result.requests.total} | ${m.result.requests.average.toFixed(1)} | ` +
        `${m.result.latency.p50} ms | ${m.result.latency.p99} ms | ${m.result.latency.max} ms | ${codes} | ` +
        `${mb(mean(m.rss))} | ${mb(Math.max(...m.rss))} | ${mb(m.heap)} |`
    )
  })
  const fivexx = minutes.reduce(
    (n, m) => n + Object.entries(m.result.statusCodeStats).filter(([c]) => c >= 500).reduce((s, [, v]) => s + v.count, 0),
    0
  )
  const errors = minutes.reduce((n, m) => n + m.result.errors + m.result.timeouts, 0)
  const second = minutes[1]
  const last = minutes[minutes.length - 1]
  const change = mean(last.rss) / mean(second.rss) - 1
  const peak = Math.max(...minutes.flatMap((m) => m.rss))
  console.log(`\nlast minute's mean RSS against the second's: ${change >= 0 ? "+" : ""}${(change * 100).toFixed(1)}% (allowed: ±5%); peak ${mb(peak)}`)
  check(fivexx === 0, `${fivexx} responses with a 5xx status (wanted 0)`)
  check(errors === 0, `${errors} connection errors or client timeouts (wanted 0)`)
  check(peak < maxRssMb * 1024 * 1024, `resident memory under ${maxRssMb} MB`)
  check(Math.abs(change) <= 0.05, `mean RSS of the last minute within 5% of the second's`)
} finally {
  await stopServer()
}
process.exit(failed ? 1 : 0)

function check(ok, what) {
  console.log(`${ok ? "ok  " : "FAIL"} ${what}`)
  if (!ok) failed = true
}

/** One autocannon run of `seconds`, with the server's RSS sampled every 5 s meanwhile. */
async function run(targets, seconds, sample = false) {
  const rss = []
  let heap = 0
  let sampling = sample
  const sampler = (async () => {
    while (sampling) {
      const m = await metrics()
      if (m) {
        rss.push(m.rss)
        heap = m.heap
      }
      for (let i = 0; i < 50 && sampling; i++) await sleep(100)
    }
  })()
  const result = await autocannon({
    url: base,
    connections,
    duration: seconds,
    requests: targets,
    // A request that takes longer than this counts as a timeout.
    timeout: 30,
  })
  sampling = false
  await sampler
  const m = await metrics()
  if (m && sample) {
    rss.push(m.rss)
    heap = m.heap
  }
  if (sample) {
    console.log(
      `${seconds} s: ${result.requests.total} requests, ${result.requests.average.toFixed(1)} req/s, p50 ${result.latency.p50} ms, ` +
        `p99 ${result.latency.p99} ms, non-2xx ${result.non2xx}, errors ${result.errors}, RSS ${rss.map(mb).join(" ")}`
    )
  }
  return { result, rss, heap }
}

/** The server's resident memory and used heap, from its Prometheus metrics. */
async function metrics() {
  try {
    const res = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } })
    if (!res.ok) throw new Error(`/metrics answered ${res.status}`)
    const text = await res.text()
    const value = (name) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+]+)$`, "m").exec(text)?.[1])
    return { rss: value("process_resident_memory_bytes"), heap: value("nodejs_heap_size_used_bytes") }
  } catch (error) {
    console.warn(`no metrics: ${error.message}`)
    return null
  }
}

/** The requests each connection cycles through (see the top of this file). */
async function buildTargets() {
  const auth = await adminLogin(base)
  const get = async (path, headers = auth) => {
    const res = await fetch(`${base}${path}`, { headers })
    if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`)
    return res.json()
  }
  const keys = await get("/admin/api-keys?type=publishable&limit=50")
  const key = keys.api_keys.find((k) => k.title === "Webshop key")
  if (!key) throw new Error("the demo data has no Webshop key: seed it (npm run seed)")
  const products = (await get("/admin/products?limit=500&fields=id,handle")).products
  const brands = (await get("/admin/brands?limit=50")).brands
  const store = { "x-publishable-api-key": key.token, "content-type": "application/json" }
  const admin = { ...auth, "content-type": "application/json" }
  const pick = (list) => list[Math.floor(Math.random() * list.length)]
  const graphql = (headers, query, variables) => ({
    method: "POST",
    path: "/graphql",
    headers,
    body: JSON.stringify({ query, variables }),
  })
  return [
    graphql(store, "{ products(first: 20) { nodes { id title handle brand { id name } } } }"),
    {
      ...graphql(store, ""),
      setupRequest: (req) => ({
        ...req,
        body: JSON.stringify({
          query: `query ($h: String!) { product(handle: $h) { id title brand { name } variants { id title sku } } }`,
          variables: { h: pick(products).handle },
        }),
      }),
    },
    graphql({ ...admin, "cache-control": "no-cache" }, "{ products(first: 20) { nodes { id title handle brand { id name } } } }"),
    { method: "GET", path: "/admin/products?limit=20&fields=id,title,handle,brand.id,brand.name", headers: auth },
    { method: "GET", path: "/store/products?limit=20&fields=id,title,handle", headers: { "x-publishable-api-key": key.token } },
    {
      ...graphql(admin, ""),
      setupRequest: (req) => ({
        ...req,
        body: JSON.stringify({
          query: `mutation ($p: ID!, $b: ID!) { productSetBrand(productId: $p, brandId: $b) { userErrors { code } } }`,
          variables: { p: pick(products).id, b: pick(brands).id },
        }),
      }),
    },
    {
      method: "POST",
      path: "/admin/products/x",
      headers: admin,
      setupRequest: (req) => ({
        ...req,
        path: `/admin/products/${pick(products).id}`,
        body: JSON.stringify({ subtitle: `soak ${Date.now()}` }),
      }),
    },
  ]
}


async function startServer() {
  server = spawn(process.execPath, [resolve(root, "scripts/start.mjs")], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: "",
      REDIS_URL: process.env.SOAK_REDIS_URL || "",
      PORT: String(port),
      EMBEDDED_PG_DIR: ".data/soak-postgres",
      EMBEDDED_PG_PORT: process.env.SOAK_PG_PORT || "54334",
      START_LOG_FILE: ".data/logs/soak.log",
      NODE_ENV: "production",
      METRICS_TOKEN: metricsToken,
      // One client at many connections: measure the server, not throttling.
      GRAPHQL_RATE_LIMIT_RESTORE_RATE: "1000000000",
    },
    stdio: ["ignore", "ignore", "inherit"],
  })
  const url = `http://localhost:${port}`
  const deadline = Date.now() + 300_000
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error("npm start exited before the server was up (see .data/logs/soak.log)")
    try {
      if ((await fetch(`${url}/health`)).ok) return url
    } catch {}
    await sleep(500)
  }
  throw new Error(`server at ${url} did not come up`)
}

async function stopServer() {
  if (!server || server.exitCode !== null) return
  const exited = new Promise((r) => server.once("exit", r))
  server.kill("SIGTERM")
  await exited
  server = null
}

function mean(xs) {
  return xs.reduce((a, b) => a + b, 0) / xs.length
}

function mb(bytes) {
  return `${(bytes / 1024 / 1024).toFixed(0)} MB`
}

