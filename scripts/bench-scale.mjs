// `npm run bench:scale -- --products 200,10200,1000200`: how the cost of a
// read grows with the catalog. For each size it seeds a catalog straight into
// a database of its own (set-based SQL, no workflows), starts a
// production-mode server on it, and times each read sequentially: uncached
// (an admin with `Cache-Control: no-cache`) and as the storefront gets it (a
// publishable key, through the read cache). Prints the medians as a table.
//
// The catalog: 200 brands; products named as the demo data names them, with
// seven-digit numbers ("Classic Kettle 0000012": "kettle 00" finds 1 product
// in 20 up to 100,000, and 5,000 of 1,000,000), 1 in 10 a draft, 1 in 25 without a brand, the others
// spread evenly over the brands; every product in one of two sales channels
// (Webshop, or every 7th Wholesale only), and a publishable key for Webshop,
// so that the storefront's channel filter takes part as in a real shop.
//
// Databases live in an embedded PostgreSQL cluster of its own
// (.data/scale-postgres, port BENCH_SCALE_PG_PORT), or on the server that
// BENCH_SCALE_DATABASE_URL names (a user that may create databases). Each is
// made from a migrated template (one `medusa db:migrate` per run) and dropped
// at the end, unless --keep is given. Options:
//   --products <n[,n…]>  catalog sizes (default 200,10200)
//   --rounds <n>         timed requests per read and caller (default BENCH_SCALE_ROUNDS or 21)
//   --keep               keep the databases (and reuse a kept one of the same size)
import { spawn } from "node:child_process"
import { randomBytes } from "node:crypto"
import { loadavg } from "node:os"
import { resolve } from "node:path"
import { parseArgs } from "node:util"
import pg from "pg"
import { startEmbeddedPostgres } from "./embedded-postgres.mjs"

const root = resolve(import.meta.dirname, "..")
const { values: options } = parseArgs({
  options: {
    products: { type: "string", default: "200,10200" },
    rounds: { type: "string", default: process.env.BENCH_SCALE_ROUNDS || "21" },
    keep: { type: "boolean", default: false },
  },
})
const sizes = options.products.split(",").map((s) => Number(s.replace(/[_\s]/g, "")))
if (!sizes.length || sizes.some((n) => !Number.isSafeInteger(n) || n < 200)) {
  throw new Error(`--products takes whole numbers of at least 200 (one per brand); got "${options.products}"`)
}
const rounds = Number(options.rounds)
const port = Number(process.env.BENCH_SCALE_PORT || 9310)
const email = process.env.ADMIN_EMAIL || "admin@example.com"
const password = process.env.ADMIN_PASSWORD || "supersecret"
const BRANDS = 200
const WARMUP = 3

// The reads of the issue's table, as sent. `$brand` is a brand of the catalog.
const PRODUCT_FIELDS = "nodes { id title brand { id name } }"
const READS = [
  { name: "`products(first: 50) { nodes { id title brand { id name } } }`", query: `{ products(first: 50) { ${PRODUCT_FIELDS} } }` },
  { name: "the same with `totalCount`", query: `{ products(first: 50) { totalCount ${PRODUCT_FIELDS} } }` },
  {
    name: '`products(first: 20, filter: { title: { contains: "kettle 00" } })` with `totalCount`',
    query: `{ products(first: 20, filter: { title: { contains: "kettle 00" } }) { totalCount ${PRODUCT_FIELDS} } }`,
  },
  {
    name: "`products(first: 20, filter: { hasBrand: false })` with `totalCount`",
    query: `{ products(first: 20, filter: { hasBrand: false }) { totalCount ${PRODUCT_FIELDS} } }`,
  },
  {
    name: "`products(filter: { brandId })` with `totalCount`",
    query: `query ($brand: ID!) { products(filter: { brandId: { eq: $brand } }) { totalCount ${PRODUCT_FIELDS} } }`,
  },
  {
    name: "`brands(first: 10) { products(first: 5) { totalCount } }`",
    query: `{ brands(first: 10) { nodes { id name products(first: 5) { totalCount nodes { id title } } } } }`,
  },
]

const ADJECTIVES = ["Classic", "Light", "Rugged", "Compact", "Deluxe", "Everyday", "Field", "Urban", "Heritage", "Swift"]
const NOUNS = ["Jacket", "Kettle", "Lamp", "Backpack", "Mug", "Blanket", "Speaker", "Trowel", "Bottle", "Scarf",
  "Bell", "Pan", "Throw", "Cap", "Glove", "Tent", "Stool", "Basket", "Apron", "Rug"]

let postgres = null
let server = null
let admin = null
const results = new Map() // size -> [{ uncached, storefront }]

try {
  let serverUrl = process.env.BENCH_SCALE_DATABASE_URL
  if (!serverUrl) {
    postgres = await startEmbeddedPostgres({
      dir: resolve(root, ".data/scale-postgres"),
      port: Number(process.env.BENCH_SCALE_PG_PORT || 54333),
      database: "postgres",
    })
    serverUrl = postgres.url
  }
  admin = new pg.Client({ connectionString: serverUrl })
  admin.on("error", () => {}) // The cluster stopping under it, after a failure.
  await admin.connect()
  const urlOf = (database) => {
    const url = new URL(serverUrl)
    url.pathname = `/${database}`
    return url.toString()
  }
  const exists = async (database) => (await admin.query("select 1 from pg_database where datname = $1", [database])).rowCount > 0

  console.log(`load average at start: ${loadavg().map((l) => l.toFixed(2)).join(" ")}`)
  const template = "scale_template"
  const pending = []
  for (const size of sizes) if (!(options.keep && (await exists(`scale_${size}`)))) pending.push(size)
  if (pending.length) {
    const started = Date.now()
    await admin.query(`drop database if exists ${template}`)
    await admin.query(`create database ${template}`)
    await medusa(["db:migrate"], urlOf(template))
    await medusa(["user", "-e", email, "-p", password], urlOf(template))
    console.log(`template migrated in ${((Date.now() - started) / 1000).toFixed(0)} s`)
  }

  for (const size of sizes) {
    const database = `scale_${size}`
    const url = urlOf(database)
    if (pending.includes(size)) {
      await admin.query(`drop database if exists ${database}`)
      await admin.query(`create database ${database} template ${template}`)
      const started = Date.now()
      await seed(url, size)
      console.log(`\n${database}: ${size} products seeded in ${((Date.now() - started) / 1000).toFixed(1)} s`)
    } else {
      console.log(`\n${database}: kept from an earlier run`)
    }
    const facts = await catalogFacts(url)
    const base = await startServer(url)
    try {
      results.set(size, await measure(base, facts))
    } finally {
      await stopServer()
    }
    if (!options.keep) await admin.query(`drop database ${database}`)
  }
  if (await exists(template)) await admin.query(`drop database ${template}`)

  console.log(`\nload average at end: ${loadavg().map((l) => l.toFixed(2)).join(" ")}`)
  console.log(`\nSequential medians of ${rounds} requests each (after ${WARMUP} untimed), production mode:\n`)
  printTable()
} finally {
  await stopServer()
  await admin?.end().catch(() => {})
  if (postgres) await postgres.stop()
}

/** Fills a migrated database: brands, products, their links, sales channels and a publishable key. */
async function seed(url, size) {
  const db = new pg.Client({ connectionString: url })
  await db.connect()
  const pad = (expr, width) => `lpad((${expr})::text, ${width}, '0')`
  const productId = `'prod_scale' || ${pad("n", 8)}`
  const adjective = `(array[${ADJECTIVES.map((a) => `'${a}'`).join(",")}])[n % 10 + 1]`
  const noun = `(array[${NOUNS.map((a) => `'${a}'`).join(",")}])[(n / 10) % 20 + 1]`
  try {
    await db.query("begin")
    await db.query(`insert into brand (id, name, handle, description)
      select 'brand_scale' || ${pad("b", 3)}, 'Brand ' || ${pad("b", 3)}, 'brand-' || ${pad("b", 3)}, 'Brand number ' || b
      from generate_series(0, ${BRANDS - 1}) b`)
    // Timestamps in whole milliseconds, as Medusa writes them.
    await db.query(`insert into product (id, title, handle, status, created_at, updated_at)
      select ${productId},
             ${adjective} || ' ' || ${noun} || ' ' || ${pad("n + 1", 7)},
             lower(${adjective} || '-' || ${noun}) || '-' || ${pad("n + 1", 7)},
             case when n % 10 = 3 then 'draft' else 'published' end,
             timestamptz '2025-01-01' + n * interval '1.5 seconds',
             timestamptz '2025-06-01' + ((n::bigint * 7919) % ${size}) * interval '1.5 seconds'
      from generate_series(0, ${size - 1}) n`)
    // Every 25th product has no brand; the others are spread evenly.
    await db.query(`insert into product_product_brand_brand (id, product_id, brand_id)
      select 'prodbrand_scale' || ${pad("n", 8)}, ${productId}, 'brand_scale' || ${pad(`(n - n / 25) % ${BRANDS}`, 3)}
      from generate_series(0, ${size - 1}) n where n % 25 <> 24`)
    await db.query(`insert into sales_channel (id, name) values ('sc_scale_webshop', 'Webshop'), ('sc_scale_wholesale', 'Wholesale')`)
    await db.query(`insert into product_sales_channel (id, product_id, sales_channel_id)
      select 'prodsc_scale' || ${pad("n", 8)}, ${productId},
             case when n % 7 = 6 then 'sc_scale_wholesale' else 'sc_scale_webshop' end
      from generate_series(0, ${size - 1}) n`)
    const token = `pk_${randomBytes(32).toString("hex")}`
    await db.query(
      `insert into api_key (id, token, salt, redacted, title, type, created_by)
       values ('apk_scale_webshop', $1, '', $2, 'Webshop key', 'publishable', 'bench-scale')`,
      [token, `${token.slice(0, 6)}***${token.slice(-3)}`]
    )
    await db.query(`insert into publishable_api_key_sales_channel (id, publishable_key_id, sales_channel_id)
      values ('pksc_scale_webshop', 'apk_scale_webshop', 'sc_scale_webshop')`)
    await db.query("commit")
    // As autovacuum would leave a table that has settled: statistics, and a visibility map for index-only scans.
    await db.query("vacuum analyze brand, product, product_product_brand_brand, product_sales_channel")
  } catch (error) {
    await db.query("rollback").catch(() => {})
    throw error
  } finally {
    await db.end()
  }
}

/** What the reads should answer, counted straight from the tables; and the key and a brand to read with. */
async function catalogFacts(url) {
  const db = new pg.Client({ connectionString: url })
  await db.connect()
  try {
    const one = async (sql) => (await db.query(sql)).rows[0]
    const brandId = "brand_scale000"
    const live = "p.deleted_at is null"
    const shown = `${live} and p.status = 'published' and exists (select 1 from product_sales_channel s
      where s.product_id = p.id and s.deleted_at is null and s.sales_channel_id = 'sc_scale_webshop')`
    const unbranded = `not exists (select 1 from product_product_brand_brand l where l.product_id = p.id and l.deleted_at is null)`
    const ofBrand = `exists (select 1 from product_product_brand_brand l where l.product_id = p.id and l.deleted_at is null and l.brand_id = '${brandId}')`
    const kettle = `p.title ilike '%kettle 00%'`
    const counts = async (where) => {
      const r = await one(`select count(*) filter (where ${live})::int as uncached, count(*) filter (where ${shown})::int as storefront
        from product p where ${where}`)
      return r
    }
    return {
      token: (await one(`select token from api_key where id = 'apk_scale_webshop'`)).token,
      brandId,
      // totalCount of each read, in READS order (null: the read selects none at the top).
      expected: [null, await counts("true"), await counts(kettle), await counts(unbranded), await counts(ofBrand), null],
    }
  } finally {
    await db.end()
  }
}

/** Times every read, uncached and as the storefront, interleaved round by round. */
async function measure(base, facts) {
  const auth = await login(base)
  const callers = {
    uncached: { ...auth, "cache-control": "no-cache" },
    storefront: { "x-publishable-api-key": facts.token },
  }
  const timings = READS.map(() => ({ uncached: [], storefront: [] }))
  for (let round = -WARMUP; round < rounds; round++) {
    for (const [i, read] of READS.entries()) {
      for (const [caller, headers] of Object.entries(callers)) {
        const started = performance.now()
        const json = await post(base, read.query, { brand: facts.brandId }, headers)
        const elapsed = performance.now() - started
        if (round === -WARMUP) check(read, i, caller, json, facts)
        if (round >= 0) timings[i][caller].push(elapsed)
      }
    }
  }
  const out = timings.map((t) => ({ uncached: median(t.uncached), storefront: median(t.storefront) }))
  for (const [i, read] of READS.entries()) {
    console.log(`  ${read.name}: uncached ${fmt(out[i].uncached)}, storefront ${fmt(out[i].storefront)}`)
  }
  return out
}

/** Fails on an error, or on a totalCount that differs from the count taken straight from the tables. */
function check(read, i, caller, json, facts) {
  if (json.errors) throw new Error(`${read.name} (${caller}): ${JSON.stringify(json.errors)}`)
  const expected = facts.expected[i]?.[caller]
  if (expected !== undefined && json.data.products.totalCount !== expected) {
    throw new Error(`${read.name} (${caller}): totalCount ${json.data.products.totalCount}, expected ${expected}`)
  }
  const nodes = json.data.products?.nodes ?? json.data.brands.nodes
  if (!nodes.length) throw new Error(`${read.name} (${caller}): an empty page`)
}

function printTable() {
  const header = ["read", ...sizes.flatMap((s) => [`${s.toLocaleString("en")}, uncached`, `${s.toLocaleString("en")}, storefront`])]
  console.log(`| ${header.join(" | ")} |`)
  console.log(`|${header.map((_, i) => (i ? "---:" : "---")).join("|")}|`)
  for (const [i, read] of READS.entries()) {
    const cells = sizes.flatMap((s) => [fmt(results.get(s)[i].uncached), fmt(results.get(s)[i].storefront)])
    console.log(`| ${read.name} | ${cells.join(" | ")} |`)
  }
}

function fmt(ms) {
  return ms >= 100 ? `${ms.toFixed(0)} ms` : `${ms.toFixed(1)} ms`
}

function median(xs) {
  const s = [...xs].sort((x, y) => x - y)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

async function post(base, query, variables, headers) {
  const res = await fetch(`${base}/graphql`, {
    method: "POST",
    headers: { ...headers, "content-type": "application/json" },
    body: JSON.stringify({ query, variables }),
  })
  return await res.json()
}

async function login(base) {
  const res = await fetch(`${base}/auth/user/emailpass`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password }),
  })
  if (!res.ok) throw new Error(`login failed: ${res.status}`)
  return { authorization: `Bearer ${(await res.json()).token}` }
}

function medusa(args, databaseUrl) {
  return new Promise((ok, fail) => {
    const child = spawn(resolve(root, "node_modules/.bin/medusa"), args, {
      cwd: root,
      env: { ...process.env, DATABASE_URL: databaseUrl, MEDUSA_DISABLE_TELEMETRY: "true", LOG_LEVEL: "error" },
      stdio: ["ignore", "ignore", "inherit"],
    })
    child.on("exit", (code) => (code === 0 ? ok() : fail(new Error(`medusa ${args[0]} exited with ${code}`))))
  })
}

async function startServer(databaseUrl) {
  server = spawn(resolve(root, "node_modules/.bin/medusa"), ["start"], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      NODE_ENV: "production",
      JWT_SECRET: randomBytes(32).toString("hex"),
      COOKIE_SECRET: randomBytes(32).toString("hex"),
      MEDUSA_DISABLE_TELEMETRY: "true",
      // The bench measures reads, not throttling (see scripts/bench.mjs).
      GRAPHQL_RATE_LIMIT_RESTORE_RATE: "1000000000",
    },
    stdio: ["ignore", "ignore", "inherit"],
  })
  const url = `http://localhost:${port}`
  const deadline = Date.now() + 180_000
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`medusa start exited with ${server.exitCode}`)
    try {
      if ((await fetch(`${url}/health`)).ok) return url
    } catch {}
    await new Promise((r) => setTimeout(r, 500))
  }
  throw new Error(`server at ${url} did not come up`)
}

async function stopServer() {
  if (!server) return
  if (server.exitCode !== null || server.signalCode !== null) return void (server = null)
  const exited = new Promise((r) => server.once("exit", r))
  server.kill("SIGTERM")
  await exited
  server = null
}
