// `npm run bench:scale -- --products 200,10200,1000200`: how the cost of a
// read grows with the catalog. For each size it seeds a catalog straight into
// a database of its own (set-based SQL, no workflows), starts a
// production-mode server on it, and times each read sequentially: uncached
// (an admin with `Cache-Control: no-cache`) and as the storefront gets it (a
// publishable key, through the read cache). Prints the medians as a table.
//
// The catalog: 200 brands; products named as the demo data names them, with
// seven-digit numbers ("Classic Kettle 0000012": "kettle 00" finds 1 product
// in 20 up to 100,000, and 5,000 of 1,000,000). Each product's status, brand
// and sales channel are drawn from a hash of its number, independently of
// each other and of its title (so that no read is helped or hurt by an
// ordering of the data): about 1 in 10 a draft, 1 in 25 without a brand, the
// others spread evenly over the brands; every product in one of two sales
// channels (Webshop, or 1 in 7 Wholesale only), and a publishable key for
// Webshop, so that the storefront's channel filter takes part as in a shop.
//
// Databases live in an embedded PostgreSQL cluster of its own
// (.data/scale-postgres, port BENCH_SCALE_PG_PORT) run with its defaults but
// for shared_buffers (BENCH_SCALE_PG_SHARED_BUFFERS, 1GB: the default 128MB
// holds a fraction of a million products' tables and indexes, which a server
// sized for such a catalog would not), or on the server that
// BENCH_SCALE_DATABASE_URL names (a user that may create databases). Each is
// made from a migrated template (one `medusa db:migrate` per run) and dropped
// at the end, unless --keep is given. Options:
//   --products <n[,n…]>  catalog sizes (default 200,10200)
//   --rounds <n>         timed requests per read and caller (default BENCH_SCALE_ROUNDS or 21)
//   --keep               keep the databases (and reuse a kept one of the same size)
//   --before <dir>       first time each catalog with the code checked out in <dir> (its
//                        node_modules installed), migrated by it; then run this checkout's
//                        `medusa db:migrate` on the same database and time it again: the
//                        change between two versions, on the same data, in one run
import { spawn } from "node:child_process"
import { randomBytes } from "node:crypto"
import { loadavg } from "node:os"
import { resolve } from "node:path"
import { parseArgs } from "node:util"
import pg from "pg"
import { startEmbeddedPostgres } from "./embedded-postgres.mjs"
import { median } from "./lib/stats.mjs"
import { ADMIN_EMAIL, ADMIN_PASSWORD, adminLogin } from "./lib/admin-login.mjs"

const root = resolve(import.meta.dirname, "..")
const { values: options } = parseArgs({
  options: {
    products: { type: "string", default: "200,10200" },
    rounds: { type: "string", default: process.env.BENCH_SCALE_ROUNDS || "21" },
    keep: { type: "boolean", default: false },
    before: { type: "string" },
  },
})
const sizes = options.products.split(",").map((s) => Number(s.replace(/[_\s]/g, "")))
if (!sizes.length || sizes.some((n) => !Number.isSafeInteger(n) || n < 200)) {
  throw new Error(`--products takes whole numbers of at least 200 (one per brand); got "${options.products}"`)
}
const rounds = Number(options.rounds)
const beforeRoot = options.before ? resolve(options.before) : null
const port = Number(process.env.BENCH_SCALE_PORT || 9310)
const BRANDS = 200
const WARMUP = 3

// The reads of the issue's table, as sent ($brand: the brand with the most
// products), then the four that select totalCount once more without it: a
// count costs what counting the matches costs, the page should not.
const PRODUCT_FIELDS = "nodes { id title brand { id name } }"
const FILTERED = [
  ['`products(first: 20, filter: { title: { contains: "kettle 00" } })`', `products(first: 20, filter: { title: { contains: "kettle 00" } })`],
  ["`products(first: 20, filter: { hasBrand: false })`", `products(first: 20, filter: { hasBrand: false })`],
  ["`products(filter: { brandId })`", `products(filter: { brandId: { eq: $brand } })`],
]
const vars = (field) => (field.includes("$brand") ? "($brand: ID!) " : "")
const READS = [
  { name: "`products(first: 50) { nodes { id title brand { id name } } }`", query: `{ products(first: 50) { ${PRODUCT_FIELDS} } }` },
  { name: "the same with `totalCount`", query: `{ products(first: 50) { totalCount ${PRODUCT_FIELDS} } }`, count: true },
  ...FILTERED.map(([name, field]) => ({
    name: `${name} with \`totalCount\``,
    query: `query ${vars(field)}{ ${field} { totalCount ${PRODUCT_FIELDS} } }`,
    count: true,
  })),
  {
    name: "`brands(first: 10) { products(first: 5) { totalCount } }`",
    query: `{ brands(first: 10) { nodes { id name products(first: 5) { totalCount nodes { id title } } } } }`,
  },
  ...FILTERED.map(([name, field]) => ({
    name: `${name}, no \`totalCount\``,
    query: `query ${vars(field)}{ ${field} { ${PRODUCT_FIELDS} } }`,
  })),
  {
    name: "`brands(first: 10) { products(first: 5) }`, no `totalCount`",
    query: `{ brands(first: 10) { nodes { id name products(first: 5) { nodes { id title } } } } }`,
  },
]

const ADJECTIVES = ["Classic", "Light", "Rugged", "Compact", "Deluxe", "Everyday", "Field", "Urban", "Heritage", "Swift"]
const NOUNS = ["Jacket", "Kettle", "Lamp", "Backpack", "Mug", "Blanket", "Speaker", "Trowel", "Bottle", "Scarf",
  "Bell", "Pan", "Throw", "Cap", "Glove", "Tent", "Stool", "Basket", "Apron", "Rug"]

let postgres = null
let server = null
let admin = null
// Medians by size, for each read: { uncached, storefront }; "before" only with --before.
const results = { before: new Map(), after: new Map() }

try {
  let serverUrl = process.env.BENCH_SCALE_DATABASE_URL
  if (!serverUrl) {
    postgres = await startEmbeddedPostgres({
      dir: resolve(root, ".data/scale-postgres"),
      port: Number(process.env.BENCH_SCALE_PG_PORT || 54333),
      database: "postgres",
      settings: { shared_buffers: process.env.BENCH_SCALE_PG_SHARED_BUFFERS || "1GB" },
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

  const setting = async (name) => (await admin.query(`select current_setting($1) as v`, [name])).rows[0].v
  console.log(
    `PostgreSQL ${await setting("server_version")}: ` +
      (await Promise.all(["shared_buffers", "work_mem", "random_page_cost", "max_parallel_workers_per_gather"].map(async (n) => `${n} ${await setting(n)}`))).join(", ")
  )
  console.log(`load average at start: ${loadavg().map((l) => l.toFixed(2)).join(" ")}`)
  const template = "scale_template"
  const pending = []
  for (const size of sizes) if (beforeRoot || !(options.keep && (await exists(`scale_${size}`)))) pending.push(size)
  if (pending.length) {
    const started = Date.now()
    await admin.query(`drop database if exists ${template}`)
    await admin.query(`create database ${template}`)
    await medusa(["db:migrate"], urlOf(template), beforeRoot ?? root)
    await medusa(["user", "-e", ADMIN_EMAIL, "-p", ADMIN_PASSWORD], urlOf(template), beforeRoot ?? root)
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
    const timeWith = async (checkout) => {
      const base = await startServer(url, checkout)
      try {
        return await measure(base, facts)
      } finally {
        await stopServer()
      }
    }
    if (beforeRoot) {
      console.log(`before (${beforeRoot}):`)
      results.before.set(size, await timeWith(beforeRoot))
      const started = Date.now()
      await medusa(["db:migrate"], url, root)
      console.log(`after (this checkout; migrated in ${((Date.now() - started) / 1000).toFixed(0)} s):`)
    }
    results.after.set(size, await timeWith(root))
    if (!options.keep) await admin.query(`drop database ${database}`)
  }
  if (await exists(template)) await admin.query(`drop database ${template}`)

  console.log(`\nload average at end: ${loadavg().map((l) => l.toFixed(2)).join(" ")}`)
  console.log(`\nSequential medians of ${rounds} requests each (after ${WARMUP} untimed), production mode.`)
  if (beforeRoot) {
    console.log(`\nBefore (${beforeRoot}):\n`)
    printTable(results.before)
    console.log("\nAfter (this checkout):\n")
  } else console.log("")
  printTable(results.after)
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
  // A draw from 0 to m - 1 for product n, independent for each seed.
  const draw = (seed, m) => `abs(hashint8extended(n::bigint, ${seed}) % ${m})`
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
             case when ${draw(1, 10)} = 0 then 'draft' else 'published' end,
             timestamptz '2025-01-01' + n * interval '1.5 seconds',
             timestamptz '2025-06-01' + ((n::bigint * 7919) % ${size}) * interval '1.5 seconds'
      from generate_series(0, ${size - 1}) n`)
    // About 1 in 25 products has no brand; the others are spread evenly.
    await db.query(`insert into product_product_brand_brand (id, product_id, brand_id)
      select 'prodbrand_scale' || ${pad("n", 8)}, ${productId}, 'brand_scale' || ${pad(draw(3, BRANDS), 3)}
      from generate_series(0, ${size - 1}) n where ${draw(2, 25)} <> 0`)
    await db.query(`insert into sales_channel (id, name) values ('sc_scale_webshop', 'Webshop'), ('sc_scale_wholesale', 'Wholesale')`)
    await db.query(`insert into product_sales_channel (id, product_id, sales_channel_id)
      select 'prodsc_scale' || ${pad("n", 8)}, ${productId},
             case when ${draw(4, 7)} = 0 then 'sc_scale_wholesale' else 'sc_scale_webshop' end
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

/** What the reads should answer, counted straight from the tables; and the key and the brand to read with. */
async function catalogFacts(url) {
  const db = new pg.Client({ connectionString: url })
  await db.connect()
  try {
    const one = async (sql) => (await db.query(sql)).rows[0]
    const { brand_id: brandId } = await one(`select brand_id from product_product_brand_brand where deleted_at is null
      group by brand_id order by count(*) desc, brand_id limit 1`)
    const live = "p.deleted_at is null"
    const shown = `${live} and p.status = 'published' and exists (select 1 from product_sales_channel s
      where s.product_id = p.id and s.deleted_at is null and s.sales_channel_id = 'sc_scale_webshop')`
    const link = `select 1 from product_product_brand_brand l where l.product_id = p.id and l.deleted_at is null`
    const counts = (where) =>
      one(`select count(*) filter (where ${live})::int as uncached, count(*) filter (where ${shown})::int as storefront
        from product p where ${where}`)
    // By the start of each read's field: its totalCount, for both callers.
    const expected = {
      "products(first: 50)": await counts("true"),
      "products(first: 20, filter: { title": await counts(`p.title ilike '%kettle 00%'`),
      "products(first: 20, filter: { hasBrand": await counts(`not exists (${link})`),
      "products(filter: { brandId": await counts(`exists (${link} and l.brand_id = '${brandId}')`),
    }
    return { token: (await one(`select token from api_key where id = 'apk_scale_webshop'`)).token, brandId, expected }
  } finally {
    await db.end()
  }
}

/** Times every read, uncached and as the storefront, interleaved round by round. */
async function measure(base, facts) {
  const auth = await adminLogin(base)
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
        if (round === -WARMUP) check(read, caller, json, facts)
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

/** Fails on an error, an empty page where products match, or a totalCount other than the count taken from the tables. */
function check(read, caller, json, facts) {
  if (json.errors) throw new Error(`${read.name} (${caller}): ${JSON.stringify(json.errors)}`)
  const [field, expected] = Object.entries(facts.expected).find(([start]) => read.query.includes(start)) ?? []
  const connection = json.data.products ?? json.data.brands
  if (read.count && connection.totalCount !== expected[caller]) {
    throw new Error(`${read.name} (${caller}): totalCount ${connection.totalCount}, expected ${expected[caller]} (${field})`)
  }
  if (!connection.nodes.length && (!expected || expected[caller] > 0)) throw new Error(`${read.name} (${caller}): an empty page`)
}

function printTable(results) {
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


async function post(base, query, variables, headers) {
  const res = await fetch(`${base}/graphql`, {
    method: "POST",
    headers: { ...headers, "content-type": "application/json" },
    body: JSON.stringify({ query, variables }),
  })
  return await res.json()
}


function medusa(args, databaseUrl, checkout) {
  return new Promise((ok, fail) => {
    const child = spawn(resolve(checkout, "node_modules/.bin/medusa"), args, {
      cwd: checkout,
      env: { ...process.env, DATABASE_URL: databaseUrl, MEDUSA_DISABLE_TELEMETRY: "true", LOG_LEVEL: "error" },
      stdio: ["ignore", "ignore", "inherit"],
    })
    child.on("exit", (code) => (code === 0 ? ok() : fail(new Error(`medusa ${args[0]} exited with ${code}`))))
  })
}

async function startServer(databaseUrl, checkout) {
  server = spawn(resolve(checkout, "node_modules/.bin/medusa"), ["start"], {
    cwd: checkout,
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
      // An HTTP server only, as in the production layout: the catalog was
      // seeded straight into PostgreSQL, so a server that also did a worker's
      // jobs would spend its first minutes filling the search index from the
      // whole catalog, in the background of the reads being timed.
      MEDUSA_WORKER_MODE: "server",
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
