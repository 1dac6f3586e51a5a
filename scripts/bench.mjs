// `npm run bench`: GraphQL against Medusa's own REST route for the same read,
// interleaved round by round in one run, on loopback.
//
//   GraphQL: products(first: 50, orderBy: {field: TITLE}) { nodes { id title handle brand { id name } } }
//   GraphQL, uncached: the same with `Cache-Control: no-cache` (reads past Medusa's Caching Module)
//   REST:    GET /admin/products?fields=id,title,handle,brand.id,brand.name&limit=50&order=title
//
// Without BENCH_URL it starts the app itself (npm start's path: embedded
// PostgreSQL in .data/bench-postgres, demo data, `medusa start`) and stops it
// at the end. Settings: BENCH_ROUNDS (5), BENCH_SECONDS (8), BENCH_CONNECTIONS (10).
import { spawn } from "node:child_process"
import { resolve } from "node:path"
import autocannon from "autocannon"

const root = resolve(import.meta.dirname, "..")
const rounds = Number(process.env.BENCH_ROUNDS || 5)
const seconds = Number(process.env.BENCH_SECONDS || 8)
const connections = Number(process.env.BENCH_CONNECTIONS || 10)
const email = process.env.ADMIN_EMAIL || "admin@example.com"
const password = process.env.ADMIN_PASSWORD || "supersecret"

let server = null
let base = process.env.BENCH_URL
if (!base) {
  const port = Number(process.env.BENCH_PORT || 9300)
  base = `http://localhost:${port}`
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
    },
    stdio: ["ignore", "ignore", "inherit"],
  })
  await waitForHealth(base, 180_000)
}

try {
  const login = await fetch(`${base}/auth/user/emailpass`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password }),
  })
  if (!login.ok) throw new Error(`login failed: ${login.status}`)
  const { token } = await login.json()
  const auth = { authorization: `Bearer ${token}` }

  const graphql = {
    name: "GraphQL",
    url: `${base}/graphql`,
    method: "POST",
    headers: { ...auth, "content-type": "application/json" },
    body: JSON.stringify({
      query: "{ products(first: 50, orderBy: {field: TITLE}) { nodes { id title handle brand { id name } } } }",
    }),
    ids: (json) => json.data.products.nodes.map((p) => p.id),
  }
  const uncached = {
    ...graphql,
    name: "GraphQL, uncached",
    headers: { ...graphql.headers, "cache-control": "no-cache" },
  }
  const rest = {
    name: "REST",
    url: `${base}/admin/products?fields=id,title,handle,brand.id,brand.name&limit=50&order=title`,
    method: "GET",
    headers: auth,
    ids: (json) => json.products.map((p) => p.id),
  }

  // Both must answer the same thing before their speed means anything.
  const targets = [graphql, uncached, rest]
  const answers = await Promise.all(targets.map(async (t) => JSON.stringify(t.ids(await (await send(t)).json()))))
  if (JSON.parse(answers[0]).length !== 50 || new Set(answers).size !== 1) {
    throw new Error("GraphQL and REST returned different products")
  }
  console.log(`Same 50 product ids in the same order from all three. ${rounds} rounds x ${seconds} s, ${connections} connections.\n`)

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

  const median = (xs) => {
    const s = [...xs].sort((x, y) => x - y)
    return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
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
  for (const { name } of [graphql, uncached]) {
    const ratios = results[name].map((g, i) => g.rps / results.REST[i].rps)
    console.log(
      `${name}/REST throughput: ${(summary[name].rps / summary.REST.rps).toFixed(2)}x (median of per-round ratios ${median(ratios).toFixed(2)}x)`
    )
  }
} finally {
  if (server) {
    server.kill("SIGTERM")
    await new Promise((r) => server.once("exit", r))
  }
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
