// The keyword replica against a real PostgreSQL (the server named by DB_*), without
// booting Medusa: a database of its own with a table shaped like the provider's
// (id, indexed, search_vector, updated_at) and its catalog row. Ranks are checked
// against PostgreSQL's own ts_rank_cd on the same rows.
import type { Knex } from "@medusajs/framework/mikro-orm/knex"
import { scratchDatabase } from "../../../../integration-tests/helpers/scratch-database"
import { likeMatcher } from "../document-filter"
import { KeywordReplica, type ReplicaCatalog } from "../keyword-replica"
import { searchReplica } from "../replica-search"
import { parseTsquery, parseTsvector } from "../tsvector-text"

const TABLE = "search_pg_things"
const DOCUMENTS = 400
const WORDS = ["kettle", "kettles", "light", "lighter", "steel", "blue", "travel", "pack", "backpack", "bag", "the", "of"]
const field = (path: string, kind: string, flags: Record<string, boolean>, is_array = false) =>
  [path, { path, kind, is_array, field: flags }] as const
const catalog: ReplicaCatalog = {
  tableName: TABLE,
  plan: {
    searchable: ["title", "body"],
    fields: new Map([
      field("id", "keyword", { filterable: true, sortable: true }),
      field("title", "text", { sortable: true }),
      field("status", "keyword", { filterable: true }),
      field("brand_id", "keyword", { filterable: true, facetable: true }),
      field("category_ids", "keyword", { filterable: true, facetable: true }, true),
      field("price", "number", { filterable: true, sortable: true, facetable: true }),
    ]),
  },
}

let db: Knex
let drop: () => Promise<void>
const sql = { execute: async (text: string, params: unknown[]) => (await db.raw(text, params as any)).rows }

/** A seeded pseudo-random sequence, so that a failure can be replayed. */
function random(seed: number) {
  return () => {
    seed = (seed * 1103515245 + 12345) % 2147483648
    return seed / 2147483648
  }
}

beforeAll(async () => {
  ;({ db, drop } = await scratchDatabase("keyword_replica"))
  await db.raw(`create table search_postgres_index (name text primary key, document_count bigint not null default 0)`)
  await db.raw(`create table ${TABLE} (id text primary key, indexed jsonb not null, search_vector tsvector not null,
    updated_at timestamptz not null default now())`)
  const next = random(42)
  const words = (n: number) => Array.from({ length: n }, () => WORDS[Math.floor(next() * WORDS.length)]).join(" ")
  for (let n = 1; n <= DOCUMENTS; n++) {
    const id = `doc_${String(n).padStart(4, "0")}`
    const title = words(1 + Math.floor(next() * 4))
    const indexed = {
      id,
      title,
      status: n % 5 === 0 ? "draft" : "published",
      brand_id: `brand_${n % 7}`,
      category_ids: [`cat_${n % 3}`, `cat_${3 + (n % 4)}`],
      price: n % 50,
    }
    await db.raw(
      `insert into ${TABLE} (id, indexed, search_vector) values (?, ?::jsonb,
        setweight(to_tsvector('english', ?), 'A') || setweight(to_tsvector('english', ?), 'B') || to_tsvector('english', ?))`,
      [id, JSON.stringify(indexed), title, words(Math.floor(next() * 3)), words(Math.floor(next() * 30))]
    )
  }
  await db.raw(`insert into search_postgres_index values ('things', ?)`, [DOCUMENTS])
})

afterAll(async () => {
  await drop?.()
})

const options = { maxDocuments: 10000, overlapSeconds: 10 }

async function filled(version = "1"): Promise<KeywordReplica> {
  const replica = new KeywordReplica("things", catalog, sql, options, (error) => {
    throw error
  })
  replica.fill(version)
  while (!replica.ready) {
    if (!replica.usable) throw new Error("the replica was set aside")
    await new Promise((r) => setTimeout(r, 10))
  }
  return replica
}

/** The query's words as the provider parses them: plainto_tsquery, the last word a prefix. */
async function queryText(q: string): Promise<string> {
  const [row] = await sql.execute(
    `select regexp_replace(plainto_tsquery('english', ?)::text, '''([^'']+)''$', '''\\1'':*') as query`,
    [q]
  )
  return row.query
}

function input(q: string, extra: Record<string, any> = {}) {
  return {
    q,
    index: { name: "things", physical_name: "things", settings: {} },
    filters: extra.filters ?? {},
    pagination: { skip: 0, take: DOCUMENTS, order: extra.order ?? { _score: "DESC", id: "ASC" } },
    search_options: { match_strategy: "last", count: "exact", include_score: true, ...(extra.search_options ?? {}) },
    attributes_to_retrieve: ["id"],
  }
}

const noDocuments = async () => new Map<string, unknown>()

describe("keyword replica", () => {
  it("reads tsvector and tsquery text back into lexemes, weights and prefixes", () => {
    expect(parseTsvector(`'it''s':3A,7 'back\\\\slash':1B 'plain':2 'bare'`)).toEqual([
      { lexeme: "it's", positions: [(3 << 2) | 3, 7 << 2] },
      { lexeme: "back\\slash", positions: [(1 << 2) | 2] },
      { lexeme: "plain", positions: [2 << 2] },
      { lexeme: "bare", positions: [16383 << 2] },
    ])
    expect(parseTsquery(`'light' & 'kettl':*`)).toEqual([
      { lexeme: "light", prefix: false },
      { lexeme: "kettl", prefix: true },
    ])
    expect(parseTsquery("")).toEqual([])
    expect(parseTsquery(`'a' | 'b'`)).toBeNull()
    expect(parseTsquery(`'a' <-> 'b'`)).toBeNull()
  })

  it("matches LIKE patterns as PostgreSQL does", async () => {
    const patterns = ["published", "%|sc\\_01A|%", "%", "%%", "a%", "%a", "a%b", "a_c", "%a%b%", "\\%x", "x\\%", "%x\\%", "", "_"]
    const texts = ["published", "x|sc_01A|y", "|sc_01A|", "|scx01A|", "", "a", "abc", "ab", "ba", "ac", "%x", "x%", "axb", "aab", "é"]
    const cases = patterns.flatMap((pattern) => texts.map((text) => ({ pattern, text })))
    const expected = await Promise.all(
      cases.map(async ({ pattern, text }) => (await sql.execute(`select ?::text like ?::text as matches`, [text, pattern]))[0].matches)
    )
    expect(cases.map(({ pattern, text }) => likeMatcher(pattern)(text))).toEqual(expected)
  })

  it.each([["kettle"], ["kett"], ["light kettle"], ["blue steel travel"], ["kettle kettles"], ["pack bag"], ["l"], ["the"]])(
    "finds and ranks %p exactly as PostgreSQL's ts_rank_cd does",
    async (q) => {
      const replica = await filled()
      const tsquery = await queryText(q)
      const expected = (
        await sql.execute(
          `select id, ts_rank_cd(search_vector, ?::tsquery)::text as score from ${TABLE}
           where search_vector @@ ?::tsquery order by ts_rank_cd(search_vector, ?::tsquery) desc, id`,
          [tsquery, tsquery, tsquery]
        )
      ).map((r: any) => ({ id: r.id, score: Math.fround(Number(r.score)) }))
      const result: any = await searchReplica(replica, input(q), parseTsquery(tsquery)!, noDocuments)
      expect(result.metadata.count).toBe(expected.length)
      expect(result.hits.map((h: any) => ({ id: h.id, score: h.score }))).toEqual(expected)
    }
  )

  it("filters, facets and orders as the provider's SQL does", async () => {
    const replica = await filled()
    const tsquery = await queryText("kettle")
    const filters = { status: { $like: "published" }, category_ids: { $in: ["cat_1", "cat_4"] }, price: { $gte: 10, $lte: 40 } }
    const result: any = await searchReplica(
      replica,
      input("kettle", {
        filters,
        order: { price: "DESC", id: "ASC" },
        search_options: {
          facets: [
            { field: "brand_id", type: "value", limit: 3, sort: "count" },
            { field: "category_ids", type: "value", limit: 10, sort: "count" },
            { field: "price", type: "range", ranges: [{ key: "low", to: 20 }, { key: "high", from: 20 }] },
          ],
        },
      }),
      parseTsquery(tsquery)!,
      noDocuments
    )
    const where = `search_vector @@ ?::tsquery and indexed->>'status' like 'published'
      and (indexed @> '{"category_ids":["cat_1"]}' or indexed @> '{"category_ids":["cat_4"]}')
      and (indexed->>'price')::float8 >= 10 and (indexed->>'price')::float8 <= 40`
    const hits = await sql.execute(`select id from ${TABLE} where ${where} order by (indexed->>'price')::float8 desc, id`, [tsquery])
    expect(result.hits.map((h: any) => h.id)).toEqual(hits.map((r: any) => r.id))
    const brands = await sql.execute(
      `select indexed->>'brand_id' as value, count(*)::int as count from ${TABLE} where ${where}
       group by 1 order by count desc, value limit 3`,
      [tsquery]
    )
    expect(result.facets.brand_id.values).toEqual(brands)
    const categories = await sql.execute(
      `select value, count(*)::int as count from (select jsonb_array_elements_text(indexed->'category_ids') as value
       from ${TABLE} where ${where}) e group by value order by count desc, value limit 10`,
      [tsquery]
    )
    expect(result.facets.category_ids.values).toEqual(categories)
    const [ranges] = await sql.execute(
      `select count(*) filter (where (indexed->>'price')::float8 < 20)::int as low,
              count(*) filter (where (indexed->>'price')::float8 >= 20)::int as high from ${TABLE} where ${where}`,
      [tsquery]
    )
    expect(result.facets.price.ranges.map((r: any) => [r.key, r.count])).toEqual([
      ["low", ranges.low],
      ["high", ranges.high],
    ])
  })

  it("leaves an order by text to PostgreSQL when the database does not collate by code point", async () => {
    const replica = await filled()
    expect(replica.codePointOrder).toBe(true)
    const words = parseTsquery(await queryText("kettle"))!
    const byTitle = input("kettle", { order: { title: "ASC", id: "ASC" } })
    expect(await searchReplica(replica, byTitle, words, noDocuments)).not.toBeNull()
    replica.codePointOrder = false
    expect(await searchReplica(replica, byTitle, words, noDocuments)).toBeNull()
    // Relevance and numbers, with ids to break ties, stay with the copy.
    expect(await searchReplica(replica, input("kettle"), words, noDocuments)).not.toBeNull()
    expect(await searchReplica(replica, input("kettle", { order: { price: "DESC", id: "ASC" } }), words, noDocuments)).not.toBeNull()
  })

  it("leaves to PostgreSQL what it does not cover", async () => {
    const replica = await filled()
    const words = parseTsquery(await queryText("kettle"))!
    const answers = await Promise.all([
      searchReplica(replica, input("kettle", { search_options: { typo_tolerance: true } }), words, noDocuments),
      searchReplica(replica, input("kettle", { search_options: { min_score: 0.5 } }), words, noDocuments),
      searchReplica(replica, input("kettle", { filters: { unknown_field: "x" } }), words, noDocuments),
      searchReplica(replica, input("kettle", { filters: { brand_id: { $regex: "x" } } }), words, noDocuments),
    ])
    expect(answers).toEqual([null, null, null, null])
  })

  it("follows updates, inserts and deletes once synced to a newer version", async () => {
    const replica = await filled("1")
    const find = async (q: string) => {
      const result: any = await searchReplica(replica, input(q), parseTsquery(await queryText(q))!, noDocuments)
      return result.hits.map((h: any) => h.id)
    }
    expect(await find("zeppelin")).toEqual([])
    await db.raw(`update ${TABLE} set search_vector = to_tsvector('english', 'zeppelin'), updated_at = now() where id = 'doc_0001'`)
    // Equal ranks: ids decide, those of documents put since the copy was filled too,
    // even two that fall between the same two of the ids it ranked then.
    for (const id of ["doc_9999", "doc_0003b", "doc_0003a"]) {
      await db.raw(`insert into ${TABLE} (id, indexed, search_vector) values (?, ?::jsonb, to_tsvector('english', 'zeppelins'))`, [
        id,
        JSON.stringify({ id }),
      ])
    }
    await db.raw(`update ${TABLE} set search_vector = to_tsvector('english', 'zeppelin'), updated_at = now() where id = 'doc_0005'`)
    await db.raw(`delete from ${TABLE} where id = 'doc_0002'`)
    await db.raw(`update search_postgres_index set document_count = document_count + 3 - 1`)
    // Not synced: the copy answers what it held.
    expect(await find("zeppelin")).toEqual([])
    await replica.syncTo("2")
    expect(await find("zeppelin")).toEqual(["doc_0001", "doc_0003a", "doc_0003b", "doc_0005", "doc_9999"])
    expect(replica.byId.has("doc_0002")).toBe(false)
    expect(replica.liveCount).toBe(DOCUMENTS + 2)
    // The old words of the updated document no longer find it.
    expect(await find("zeppelin kettle")).toEqual([])
  })
})
