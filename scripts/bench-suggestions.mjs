// `npm run bench:suggestions`: predictive search and "did you mean" on the
// dictionary of the search index's words, at BENCH_SUGGEST_SIZES products
// (1000,100000).
//
// For each size: a database of its own (on the server BENCH_SEARCH_DATABASE_URL
// names, else an embedded PostgreSQL in .data/bench-search-postgres), migrated,
// seeded as `npm run bench:search` seeds it (src/scripts/bench-search-seed.ts:
// titles of two words from 10 x 20, a description with a unique hex word, 1 in
// 10 a draft), the index built by `npm run search:reindex`'s script (timed,
// the dictionary's triggers included). Then:
//   - the dictionary: rows, distinct words, size on disk, and the time to
//     count it again from the whole index table (search_word_attach);
//   - the dictionary's statements as the catalog runs them, one after another
//     (src/scripts/bench-dictionary.ts): completing "ke" and "kettl",
//     correcting "ketle" and "clasic bakpack" (medians of 50);
//   - the provider's typo tolerance for comparison: the trigram match of a
//     misspelt word against every document's text (what a misspelt search
//     cost before the dictionary), timed in SQL;
//   - over HTTP, on a production-mode server, at BENCH_CONNECTIONS (10) with
//     the bench channel's publishable key, uncached (each request carries one
//     more, unused, variable with a new value): predictiveSearch for a
//     two-letter and a five-letter prefix (queries, products, brands,
//     categories, limit 5), and searchProducts (first 20, totalCount, brand
//     and category facets) for a word as typed and misspelt (corrected).
// Settings: BENCH_SUGGEST_SIZES, BENCH_SECONDS (5), BENCH_CONNECTIONS (10),
// BENCH_SUGGEST_PORT (9327), BENCH_KEEP=1 keeps the databases.
import { resolve } from "node:path"
import autocannon from "autocannon"
import pg from "pg"
import { startEmbeddedPostgres } from "./embedded-postgres.mjs"
import { medusaEnv, percentile, root, runMedusa, startMedusa } from "./lib/processes.mjs"

const sizes = (process.env.BENCH_SUGGEST_SIZES || "1000,100000").split(",").map(Number)
const seconds = Number(process.env.BENCH_SECONDS || 5)
const connections = Number(process.env.BENCH_CONNECTIONS || 10)
const port = Number(process.env.BENCH_SUGGEST_PORT || 9327)

const PREDICTIVE = `query ($q: String!) { predictiveSearch(query: $q, limit: 5) {
  queries { text styledText } products { id title brand { name } } brands { id name } categories { id name } } }`
const SEARCH = `query ($q: String!) { searchProducts(query: $q, first: 20) {
  totalCount correctedQuery nodes { id title brand { id name } }
  facets { brands { brand { id name } count } categories { category { id name } count } } } }`
const TARGETS = [
  { name: "predictive, 2 letters", query: PREDICTIVE, q: "ke" },
  { name: "predictive, 5 letters", query: PREDICTIVE, q: "kettl" },
  { name: "search, as typed", query: SEARCH, q: "kettle" },
  { name: "search, misspelt", query: SEARCH, q: "ketle" },
]

let postgres = null
let serverUrl = process.env.BENCH_SEARCH_DATABASE_URL
if (!serverUrl) {
  postgres = await startEmbeddedPostgres({
    dir: resolve(root, ".data/bench-search-postgres"),
    port: Number(process.env.BENCH_SEARCH_PG_PORT || 54333),
    database: "postgres",
  })
  serverUrl = postgres.url
}

const rows = []
try {
  for (const size of sizes) rows.push(await benchSize(size))
  report(rows)
} finally {
  if (postgres) await postgres.stop()
}

async function benchSize(size) {
  const database = `bench_suggest_${size}`
  const url = databaseUrl(database)
  const env = medusaEnv({ DATABASE_URL: url, LOG_LEVEL: "info", DATABASE_STATEMENT_TIMEOUT_MS: "0" })
  console.log(`\n== ${size.toLocaleString("en")} products (${database})`)
  await sql(databaseUrl("postgres"), `drop database if exists ${database} with (force)`)
  await sql(databaseUrl("postgres"), `create database ${database}`)
  let server = null
  try {
    await runMedusa(["db:migrate"], env)
    await runMedusa(["exec", "./src/scripts/bench-search-seed.ts", String(size)], env)
    const reindex = await runMedusa(["exec", "./src/scripts/search-reindex.ts"], env)
    const buildMs = Number(/rebuilt \S+ in (\d+) ms/.exec(reindex)?.[1])
    console.log(`index built in ${(buildMs / 1000).toFixed(1)} s`)

    const [index] = await sql(url, `select name, table_name from search_postgres_index order by name desc limit 1`)
    const [dictionary] = await sql(
      url,
      `select count(*)::int as rows, count(distinct word)::int as words,
              pg_size_pretty(pg_total_relation_size('search_word')) as size
       from search_word where index_name = $1`,
      [index.name]
    )
    const recount = await timed(() => sql(url, `select search_word_attach($1, $2)`, [index.name, index.table_name]))
    const scan = []
    for (let i = 0; i < 5; i++) {
      scan.push(await timed(() => sql(url, `select count(*) from "${index.table_name}" where word_similarity($1, search_text) > 0.3`, ["ketle"])))
    }
    console.log(
      `dictionary: ${dictionary.rows.toLocaleString("en")} rows, ${dictionary.words.toLocaleString("en")} words, ${dictionary.size}; ` +
        `counted again in ${(recount / 1000).toFixed(1)} s; typo scan of every document: ${percentile(scan, 50).toFixed(0)} ms`
    )

    const [channel] = await sql(url, `select id from sales_channel where name = 'Bench'`)
    const timedLine = await runMedusa(["exec", "./src/scripts/bench-dictionary.ts", channel.id], env)
    const statements = JSON.parse(/bench-dictionary (\{.*\})/.exec(timedLine)[1])
    console.log(
      `dictionary statements: complete "ke" ${statements.complete2} ms, "kettl" ${statements.complete5} ms; ` +
        `correct "ketle" ${statements.correct1} ms, "clasic bakpack" ${statements.correct2} ms (${statements.corrected.join(", ")})`
    )

    server = await startMedusa({
      name: "bench-suggestions",
      port,
      env: medusaEnv({
        DATABASE_URL: url,
        NODE_ENV: "production",
        JWT_SECRET: "bench-suggestions-jwt",
        COOKIE_SECRET: "bench-suggestions-cookie",
        LOG_LEVEL: "error",
        GRAPHQL_RATE_LIMIT_RESTORE_RATE: "1000000000",
      }),
    })
    const [{ token }] = await sql(url, `select token from api_key where title = 'Bench key' and revoked_at is null`)
    const headers = { "content-type": "application/json", "x-publishable-api-key": token }
    const results = {}
    let nonce = 0
    for (const t of TARGETS) {
      const body = (n) => JSON.stringify({ query: t.query, variables: { q: t.q, nonce: n } })
      const res = await fetch(`${server.url}/graphql`, { method: "POST", headers, body: body(0) })
      const json = await res.json()
      if (!res.ok || json.errors) throw new Error(`${t.name}: ${res.status} ${JSON.stringify(json.errors)}`)
      const d = json.data.predictiveSearch ?? json.data.searchProducts
      const what = json.data.predictiveSearch
        ? `${d.queries.map((q) => q.text).join(", ")}; ${d.products.length} products`
        : `${d.totalCount} found${d.correctedQuery ? ` for "${d.correctedQuery}"` : ""}`
      const r = await autocannon({
        url: `${server.url}/graphql`,
        method: "POST",
        headers,
        requests: [{ setupRequest: (req) => ({ ...req, body: body(++nonce) }) }],
        connections,
        duration: seconds,
      })
      if (r.non2xx || r.errors) throw new Error(`${t.name}: ${r.non2xx} non-2xx, ${r.errors} errors`)
      results[t.name] = { p50: r.latency.p50, p99: r.latency.p99, rps: r.requests.average }
      console.log(`${t.name.padEnd(22)} "${t.q}" (${what}): p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, ${r.requests.average.toFixed(0)} req/s`)
    }
    return { size, buildMs, dictionary, recount, statements, scan: percentile(scan, 50), results }
  } finally {
    await server?.stop()
    if (!process.env.BENCH_KEEP) await sql(databaseUrl("postgres"), `drop database if exists ${database} with (force)`)
  }
}

function report(rows) {
  console.log(`\n== ${connections} connections, ${seconds} s each, uncached\n`)
  console.log(
    `| products | index build | dictionary (rows, words, size) | complete "ke" / "kettl", correct "ketle" (SQL) | ${TARGETS.map((t) => `${t.name}: p50 / p99, req/s`).join(" | ")} | typo scan (before) |`
  )
  console.log(`| ---: | ---: | ---: | ---: | ${TARGETS.map(() => "---:").join(" | ")} | ---: |`)
  for (const r of rows) {
    const cells = TARGETS.map((t) => {
      const x = r.results[t.name]
      return `${x.p50} / ${x.p99} ms, ${x.rps.toFixed(0)}`
    })
    console.log(
      `| ${r.size.toLocaleString("en")} | ${(r.buildMs / 1000).toFixed(1)} s | ${r.dictionary.rows.toLocaleString("en")}, ${r.dictionary.words.toLocaleString("en")}, ${r.dictionary.size} | ` +
        `${r.statements.complete2} / ${r.statements.complete5}, ${r.statements.correct1} ms | ${cells.join(" | ")} | ${r.scan.toFixed(0)} ms |`
    )
  }
}

function databaseUrl(database) {
  const url = new URL(serverUrl)
  url.pathname = `/${database}`
  return url.toString()
}

async function sql(url, text, params = []) {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return (await client.query(text, params)).rows
  } finally {
    await client.end()
  }
}

async function timed(run) {
  const started = performance.now()
  await run()
  return performance.now() - started
}
