// `npm run bench`: GraphQL against Medusa's own REST routes for the same read,
// interleaved round by round in one run, on loopback.
//
// Cached reads against the HTTP floor (one server, the response cache on):
//   GET /health: Medusa's liveness route, the floor
//   GraphQL: products(first: 50, orderBy: {field: TITLE}) { nodes { id title handle brand { id name } } }
//            with the Webshop key (a storefront), and with an admin token
//   GraphQL, uncached: the admin read with `Cache-Control: no-cache` (past every cache)
//   REST:    GET /admin/products?fields=id,title,handle,brand.id,brand.name&limit=50&order=title
//
//   GraphQL, storefront, GET: the storefront read sent as GET ?query= (public, with an ETag),
//            to the server, and through Varnish (deploy/varnish/default.vcl, when varnishd is
//            installed and the bench starts the server: HTTP_CACHE_PURGE_URL points at it)
//
// The storefront read (and through Varnish) and REST again while writers change
// products and brand links (see underWrites), failing on any stale read-back,
// through the server and through Varnish.
//
// Storefront listing with variants and prices in a region, with the Webshop key,
// warm (as both routes run by default: GraphQL through its response cache,
// REST through Query's cache) and cold (the same server restarted with
// RESPONSE_CACHE=false QUERY_CACHE=false, so that both read the database):
//   GraphQL: products(first: 50) @inContext(regionId) { nodes { id title handle thumbnail
//            variants { id title price { amount originalAmount currencyCode onSale } } brand { name } } }
//   REST:    GET /store/products?region_id=…&fields=id,title,handle,thumbnail,variants.id,
//            variants.title,*variants.calculated_price&limit=50&order=title (no brand: the store
//            route does not offer it)
//
// Without BENCH_URL it starts the app itself (npm start's path: embedded
// PostgreSQL in .data/bench-postgres, demo data, `medusa start`) and stops it
// at the end; with BENCH_URL only the warm runs are made. Settings:
// BENCH_ROUNDS (5), BENCH_SECONDS (8), BENCH_CONNECTIONS (10),
// BENCH_WRITERS (6), BENCH_WRITE_INTERVAL_MS (400).
import { spawn } from "node:child_process"
import { resolve } from "node:path"
import autocannon from "autocannon"
import { median } from "./lib/stats.mjs"
import { adminLogin } from "./lib/admin-login.mjs"
import { freePort } from "./lib/processes.mjs"
import { hasVarnish, startVarnish, VARNISHD } from "./lib/varnish.mjs"

const root = resolve(import.meta.dirname, "..")
const rounds = Number(process.env.BENCH_ROUNDS || 5)
const seconds = Number(process.env.BENCH_SECONDS || 8)
const connections = Number(process.env.BENCH_CONNECTIONS || 10)
const port = Number(process.env.BENCH_PORT || 9300)

let server = null
let varnish = null
let base = process.env.BENCH_URL
const ownServer = !base

try {
  if (ownServer && hasVarnish()) {
    const varnishPort = await freePort()
    base = await startServer({ HTTP_CACHE_PURGE_URL: `http://127.0.0.1:${varnishPort}/` })
    // Both of the VCL's servers are this one.
    varnish = await startVarnish(varnishPort, [port, port])
  } else {
    if (ownServer) console.log(`No ${VARNISHD} (or BENCH_URL given): no rows through Varnish.\n`)
    if (ownServer) base = await startServer({})
  }
  const auth = await adminLogin(base)

  const webshopKey = await storefrontKey(auth)
  const listing = "{ products(first: 50, orderBy: {field: TITLE}) { nodes { id title handle brand { id name } } } }"
  const graphqlTarget = (name, headers) => ({
    name,
    url: `${base}/graphql`,
    method: "POST",
    headers: { ...headers, "content-type": "application/json" },
    body: JSON.stringify({ query: listing }),
  })
  const anonymous = { ...graphqlTarget("GraphQL, storefront, cached", { "x-publishable-api-key": webshopKey }), ids: null }
  const graphql = { ...graphqlTarget("GraphQL, admin, cached", auth), ids: (json) => json.data.products.nodes.map((p) => p.id) }
  const uncached = { ...graphql, name: "GraphQL, admin, uncached", headers: { ...graphql.headers, "cache-control": "no-cache" } }
  const rest = {
    name: "REST",
    url: `${base}/admin/products?fields=id,title,handle,brand.id,brand.name&limit=50&order=title`,
    method: "GET",
    headers: auth,
    ids: (json) => json.products.map((p) => p.id),
  }
  const health = { name: "GET /health", url: `${base}/health`, method: "GET", headers: {}, ids: null }
  // (A storefront sees fewer products than an admin: its reads are checked against each other below.)
  const storefrontGet = (name, at, headers = {}) => ({
    name,
    url: `${at}/graphql?query=${encodeURIComponent(listing)}`,
    method: "GET",
    headers: { "x-publishable-api-key": webshopKey, ...headers },
    ids: null,
  })
  const get = storefrontGet("GraphQL, storefront, GET", base)
  // As browsers and storefront servers ask: Varnish keeps the answer gzipped.
  const edge = varnish && storefrontGet("GraphQL, storefront, GET via Varnish", varnish.url, { "accept-encoding": "gzip" })

  const storefrontIds = await Promise.all(
    [anonymous, get, ...(edge ? [edge] : [])].map(async (t) => JSON.stringify((await (await send(t)).json()).data.products.nodes.map((p) => p.id)))
  )
  if (new Set(storefrontIds).size !== 1) throw new Error("the storefront read answered differently by POST, GET and through Varnish")

  console.log("== Cached reads against the HTTP floor; uncached against REST\n")
  const floor = await compare([health, anonymous, get, ...(edge ? [edge] : []), graphql, uncached, rest], "REST")
  const hit = floor[anonymous.name]
  console.log(
    `\ntargets: storefront hit/health ${(hit.rps / floor[health.name].rps).toFixed(2)}x (>= 0.9), ` +
      `its p99/p50 ${(hit.p99 / Math.max(hit.p50, 1)).toFixed(1)} (<= 2), ` +
      `uncached/REST ${(floor[uncached.name].rps / floor[rest.name].rps).toFixed(2)}x (>= 1)`
  )
  if (edge) {
    console.log(
      `through Varnish: ${(floor[edge.name].rps / floor[health.name].rps).toFixed(2)}x GET /health, ` +
        `${(floor[edge.name].rps / hit.rps).toFixed(2)}x the app's own hit`
    )
  }

  console.log("\n== Reads while writers change products and brand links\n")
  await underWrites({ auth, webshopKey, read: anonymous, edge, rest })

  const storefront = await storefrontTargets(auth)
  console.log("\n== Storefront listing with prices, warm (GraphQL: response cache; REST: Query's cache)\n")
  await compare(storefront, "Store REST")
  if (ownServer) {
    await stopServer()
    base = await startServer({ QUERY_CACHE: "false", RESPONSE_CACHE: "false" })
    console.log("\n== Storefront listing with prices, cold (RESPONSE_CACHE=false QUERY_CACHE=false: both read the database)\n")
    await compare(await storefrontTargets(await adminLogin(base)), "Store REST")
  }
} finally {
  await varnish?.stop()
  await stopServer()
}

/** The storefront listing through GraphQL and through Medusa's store route, with the Webshop key. */
async function storefrontTargets(auth) {
  const regions = await (await fetch(`${base}/admin/regions?limit=50`, { headers: auth })).json()
  const region = regions.regions.find((r) => r.currency_code === "eur")
  if (!region) throw new Error("the demo data has no EUR region")
  const headers = { "x-publishable-api-key": await storefrontKey(auth) }
  const prices = (variants) => variants.map((v) => [v.id, String(v.calculated_price?.calculated_amount ?? v.price?.amount)])
  return [
    {
      name: "Store GraphQL",
      url: `${base}/graphql`,
      method: "POST",
      headers: { ...headers, "content-type": "application/json" },
      body: JSON.stringify({
        query: `query ($region: ID) @inContext(regionId: $region) { products(first: 50, orderBy: {field: TITLE}) { nodes {
          id title handle thumbnail variants { id title price { amount originalAmount currencyCode onSale } } brand { name } } } }`,
        variables: { region: region.id },
      }),
      ids: (json) => json.data.products.nodes.map((p) => [p.id, prices(p.variants)]),
    },
    {
      name: "Store REST",
      url:
        `${base}/store/products?region_id=${region.id}&limit=50&order=title` +
        `&fields=id,title,handle,thumbnail,variants.id,variants.title,*variants.calculated_price`,
      method: "GET",
      headers,
      ids: (json) => json.products.map((p) => [p.id, prices(p.variants)]),
    },
  ]
}

/** The demo data's Webshop publishable key, as a storefront sends it. */
async function storefrontKey(auth) {
  const keys = await (await fetch(`${base}/admin/api-keys?type=publishable&limit=50`, { headers: auth })).json()
  const key = keys.api_keys.find((k) => k.title === "Webshop key")
  if (!key) throw new Error("the demo data has no Webshop key")
  return key.token
}

/**
 * The storefront read and GET /admin/products, each under the same writes:
 * BENCH_WRITERS writers (6), each every BENCH_WRITE_INTERVAL_MS (400 ms),
 * alternating a product's subtitle through admin REST and its brand through
 * GraphQL's productSetBrand. After each write has answered, the writer reads
 * the product back as the storefront does; an answer that does not show the
 * write is stale, and any stale answer fails the bench.
 */
async function underWrites({ auth, webshopKey, read, edge, rest }) {
  const writers = Number(process.env.BENCH_WRITERS || 6)
  const intervalMs = Number(process.env.BENCH_WRITE_INTERVAL_MS || 400)
  const call = async (query, variables, headers) => {
    const res = await fetch(`${base}/graphql`, {
      method: "POST",
      headers: { ...headers, "content-type": "application/json" },
      body: JSON.stringify({ query, variables }),
    })
    const json = await res.json()
    if (!res.ok || json.errors) throw new Error(`${res.status} ${JSON.stringify(json.errors)}`)
    return json.data
  }
  const store = { "x-publishable-api-key": webshopKey }
  const listed = await call("{ products(first: 50, orderBy: {field: TITLE}) { nodes { id } } }", {}, store)
  const brands = (await call("{ brands(first: 2) { nodes { id } } }", {}, auth)).brands.nodes.map((b) => b.id)
  const products = listed.products.nodes.slice(0, writers).map((p) => p.id)
  const readBack = "query ($id: ID!) { product(id: $id) { subtitle brand { id } } }"
  // The same read back through Varnish, as a GET: what a storefront behind it sees next.
  const readBackThroughVarnish = async (id) => {
    const url = `${varnish.url}/graphql?query=${encodeURIComponent(readBack)}&variables=${encodeURIComponent(JSON.stringify({ id }))}`
    const res = await fetch(url, { headers: store })
    const json = await res.json()
    if (!res.ok || json.errors) throw new Error(`through Varnish: ${res.status} ${JSON.stringify(json.errors)}`)
    return json.data.product
  }

  async function write(productId, n) {
    if (n % 2 === 0) {
      const subtitle = `bench ${Date.now()} ${n}`
      const res = await fetch(`${base}/admin/products/${productId}`, {
        method: "POST",
        headers: { ...auth, "content-type": "application/json" },
        body: JSON.stringify({ subtitle }),
      })
      if (!res.ok) throw new Error(`product update: ${res.status} ${await res.text()}`)
      return (p) => p.subtitle === subtitle
    }
    const brandId = brands[(n >> 1) % 2]
    const set = "mutation ($p: ID!, $b: ID!) { productSetBrand(productId: $p, brandId: $b) { userErrors { code } } }"
    const data = await call(set, { p: productId, b: brandId }, auth)
    if (data.productSetBrand.userErrors.length) throw new Error(JSON.stringify(data.productSetBrand.userErrors))
    return (p) => p.brand?.id === brandId
  }

  const targets = [read, ...(edge ? [edge] : []), rest]
  const results = Object.fromEntries(targets.map((t) => [t.name, []]))
  for (let round = 1; round <= rounds; round++) {
    for (const target of round % 2 ? targets : [...targets].reverse()) {
      let running = true
      const tally = { writes: 0, stale: 0, throughVarnish: 0 }
      const started = Date.now()
      const loops = products.map(async (productId, w) => {
        for (let n = w; running; n++) {
          const next = Date.now() + intervalMs
          const shows = await write(productId, n)
          tally.writes++
          const { product } = await call(readBack, { id: productId }, store)
          if (!shows(product)) tally.stale++
          if (varnish) {
            tally.throughVarnish++
            if (!shows(await readBackThroughVarnish(productId))) tally.stale++
          }
          await new Promise((r) => setTimeout(r, Math.max(0, next - Date.now())))
        }
      })
      const r = await autocannon({ url: target.url, method: target.method, headers: target.headers, body: target.body, connections, duration: seconds })
      running = false
      await Promise.all(loops)
      const writesPerSecond = tally.writes / ((Date.now() - started) / 1000)
      if (r.non2xx || r.errors) throw new Error(`${target.name}: ${r.non2xx} non-2xx, ${r.errors} errors`)
      results[target.name].push({ rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, writesPerSecond, ...tally })
      console.log(
        `round ${round}  ${target.name.padEnd(28)} ${r.requests.average.toFixed(1).padStart(7)} req/s  p50 ${r.latency.p50} ms  p99 ${r.latency.p99} ms` +
          `  | ${writesPerSecond.toFixed(1)} writes/s, ${tally.stale} stale of ${tally.writes} read-backs`
      )
    }
  }
  const sum = (key) => targets.reduce((a, t) => a + results[t.name].reduce((b, r) => b + r[key], 0), 0)
  const ratios = results[read.name].map((g, i) => g.rps / results[rest.name][i].rps)
  const writes = sum("writes")
  const stale = sum("stale")
  console.log(
    `\nmedians: ${read.name} ${median(results[read.name].map((r) => r.rps)).toFixed(1)} req/s, ` +
      `REST ${median(results[rest.name].map((r) => r.rps)).toFixed(1)} req/s; ` +
      `${median([...results[read.name], ...results[rest.name]].map((r) => r.writesPerSecond)).toFixed(1)} writes/s`
  )
  if (edge) {
    const edgeRatios = results[edge.name].map((g, i) => g.rps / results[rest.name][i].rps)
    console.log(`through Varnish: ${median(results[edge.name].map((r) => r.rps)).toFixed(1)} req/s, ${median(edgeRatios).toFixed(2)}x REST`)
  }
  const backs = writes + sum("throughVarnish")
  console.log(
    `target: storefront/REST under writes ${median(ratios).toFixed(2)}x (>= 5); stale read-backs: ${stale} of ${backs}` +
      `${edge ? ` (${sum("throughVarnish")} of them through Varnish)` : ""} (must be 0)`
  )
  if (stale) throw new Error(`${stale} read-backs did not show the write that had answered`)
}

/** Checks that every target answers the same, then runs them interleaved and prints medians and ratios. */
async function compare(targets, reference) {
  const checked = targets.filter((t) => t.ids)
  const answers = await Promise.all(
    targets.map(async (t) => {
      const res = await send(t)
      if (!res.ok) throw new Error(`${t.name}: ${res.status} ${await res.text()}`)
      return t.ids ? JSON.stringify(sortVariants(t.ids(await res.json()))) : null
    })
  )
  const compared = answers.filter((a) => a !== null)
  if (JSON.parse(compared[0]).length !== 50 || new Set(compared).size !== 1) {
    throw new Error(`${checked.map((t) => t.name).join(", ")} returned different products or prices`)
  }
  console.log(
    `Same 50 products (and prices) from ${checked.map((t) => t.name).join(", ")}. ${rounds} rounds x ${seconds} s, ${connections} connections.\n`
  )

  const results = Object.fromEntries(targets.map((t) => [t.name, []]))
  const width = Math.max(...targets.map((t) => t.name.length))
  for (let round = 1; round <= rounds; round++) {
    // Rotate who goes first, so none always runs on a warmer process.
    const order = targets.map((_, i) => targets[(i + round - 1) % targets.length])
    for (const target of order) {
      const r = await autocannon({
        url: target.url,
        method: target.method,
        headers: target.headers,
        body: target.body,
        connections,
        duration: seconds,
      })
      if (r.non2xx || r.errors) throw new Error(`${target.name}: ${r.non2xx} non-2xx, ${r.errors} errors`)
      results[target.name].push({ rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99 })
      console.log(
        `round ${round}  ${target.name.padEnd(width)} ${r.requests.average.toFixed(1).padStart(7)} req/s  p50 ${r.latency.p50} ms  p99 ${r.latency.p99} ms`
      )
    }
  }

  console.log("\nmedians")
  const summary = {}
  for (const { name } of targets) {
    const rs = results[name]
    summary[name] = { rps: median(rs.map((r) => r.rps)), p50: median(rs.map((r) => r.p50)), p99: median(rs.map((r) => r.p99)) }
    const s = summary[name]
    console.log(`${name.padEnd(width)} ${s.rps.toFixed(1).padStart(7)} req/s  p50 ${s.p50} ms  p99 ${s.p99} ms`)
  }
  console.log("")
  for (const { name } of targets.filter((t) => t.name !== reference)) {
    const ratios = results[name].map((g, i) => g.rps / results[reference][i].rps)
    console.log(
      `${name}/${reference} throughput: ${(summary[name].rps / summary[reference].rps).toFixed(2)}x (median of per-round ratios ${median(ratios).toFixed(2)}x)`
    )
  }
  return summary
}

/** Variant order is not part of either answer's contract: compare them sorted. */
function sortVariants(products) {
  return products.map((p) => (Array.isArray(p) ? [p[0], [...p[1]].sort()] : p))
}



async function startServer(extraEnv) {
  server = spawn(process.execPath, [resolve(root, "scripts/start.mjs")], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: "",
      PORT: String(port),
      EMBEDDED_PG_DIR: ".data/bench-postgres",
      EMBEDDED_PG_PORT: process.env.BENCH_PG_PORT || "54331",
      NODE_ENV: "production",
      // One client at many connections would soon spend its cost budget, and
      // the bench measures reads, not throttling: the limiter still runs (its
      // cost is part of a read) but restores faster than any run can spend.
      // A server given by BENCH_URL needs the same setting.
      GRAPHQL_RATE_LIMIT_RESTORE_RATE: "1000000000",
      ...extraEnv,
    },
    stdio: ["ignore", "ignore", "inherit"],
  })
  const url = `http://localhost:${port}`
  await waitForHealth(url, 180_000)
  return url
}

async function stopServer() {
  if (!server) return
  const exited = new Promise((r) => server.once("exit", r))
  server.kill("SIGTERM")
  await exited
  server = null
}

function send(t) {
  return fetch(t.url, { method: t.method, headers: t.headers, body: t.body })
}

async function waitForHealth(url, timeoutMs) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${url}/health`)).ok) return
    } catch {}
    await new Promise((r) => setTimeout(r, 500))
  }
  throw new Error(`server at ${url} did not come up`)
}
