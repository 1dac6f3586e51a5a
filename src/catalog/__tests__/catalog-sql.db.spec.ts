// The catalog's own SQL against a real PostgreSQL (the server named by DB_*,
// as for every test), without booting Medusa: a database of its own with just
// the columns that SQL reads, filled with generate_series.
import type { Knex } from "@medusajs/framework/mikro-orm/knex"
import { scratchDatabase } from "../../../integration-tests/helpers/scratch-database"
import { perBrandPageStatement, pickPerBrand } from "../brand-products"
import type { Caller } from "../caller"
import { encodeCursor } from "../cursor"
import { PRODUCT_ENTITY } from "../entities"
import { planPage } from "../keyset"
import type { ProductFilter } from "../product-filter"
import { CATALOG_READ_INDEXES, createCatalogReadIndexes, createIndexStatement } from "../read-indexes"

const PRODUCTS = 3000
const quiet = { info: () => {}, warn: () => {} }

let db: Knex
let drop: () => Promise<void>

beforeAll(async () => {
  ;({ db, drop } = await scratchDatabase("catalog_sql"))
  // The columns of Medusa's tables that the catalog's statements and indexes use.
  await db.raw(`create table product (id text primary key, title text not null, handle text, status text not null,
    collection_id text, created_at timestamptz not null, updated_at timestamptz not null, deleted_at timestamptz)`)
  for (const [table, other] of [["product_product_brand_brand", "brand_id"], ["product_sales_channel", "sales_channel_id"]]) {
    await db.raw(`create table ${table} (product_id varchar(255) not null, ${other} varchar(255) not null,
      id varchar(255) not null, deleted_at timestamptz, primary key (product_id, ${other}))`)
  }
  // Titles in an order unrelated to the ids; 1 in 7 a draft, 1 in 40 deleted.
  await db.raw(`insert into product (id, title, status, created_at, updated_at, deleted_at)
    select 'prod_' || lpad(n::text, 5, '0'), case when n % 500 = 7 then 'Same title' else md5(n::text) end,
           case when n % 7 = 0 then 'draft' else 'published' end,
           timestamptz '2025-01-01' + n * interval '1 second', timestamptz '2025-01-01',
           case when n % 40 = 0 then timestamptz '2025-02-01' end
    from generate_series(1, ${PRODUCTS}) n`)
  // Two big brands, a middling one, a small one whose products come last by
  // title, and a brand without products; one link deleted.
  await db.raw(`insert into product_product_brand_brand (product_id, brand_id, id, deleted_at)
    select id, case when n % 2 = 0 then 'brand_big1' when n % 5 = 1 then 'brand_big2'
                    when n % 60 = 3 then 'brand_mid' when n % 250 = 5 then 'brand_small' end,
           'link_' || n, case when n = 4 then now() end
    from (select id, substr(id, 6)::int as n from product) p
    where n % 2 = 0 or n % 5 = 1 or n % 60 = 3 or n % 250 = 5`)
  await db.raw(`update product set title = 'zz ' || title where id in
    (select product_id from product_product_brand_brand where brand_id = 'brand_small')`)
  await db.raw(`insert into product_sales_channel (product_id, sales_channel_id, id)
    select id, case when substr(id, 6)::int % 3 = 0 then 'sc_b' else 'sc_a' end, 'psc_' || id from product`)
})

afterAll(async () => {
  await drop?.()
})

describe("catalog read indexes", () => {
  it("creates each index once, concurrently and only over live rows, and rebuilds one left invalid", async () => {
    for (const index of CATALOG_READ_INDEXES) {
      expect(index.name).toMatch(/^IDX_catalog_/)
      expect(createIndexStatement(index)).toMatch(/^create index concurrently if not exists "IDX_catalog_\w+" on "\w+" .* where deleted_at is null$/)
    }
    const names = CATALOG_READ_INDEXES.map((i) => i.name)
    expect(new Set(names).size).toBe(names.length)

    expect(await createCatalogReadIndexes(db, quiet)).toEqual(names)
    const valid = async () =>
      (
        await db.raw(`select c.relname from pg_index i join pg_class c on c.oid = i.indexrelid
          where c.relname like 'IDX_catalog_%' and i.indisvalid order by c.relname`)
      ).rows.map((r: { relname: string }) => r.relname)
    expect(await valid()).toEqual([...names].sort())
    expect(await createCatalogReadIndexes(db, quiet)).toEqual([])

    // What a failed concurrent build leaves behind: IF NOT EXISTS alone would keep it.
    await db.raw(`update pg_index set indisvalid = false where indexrelid = '"IDX_catalog_product_title_id"'::regclass`)
    expect(await createCatalogReadIndexes(db, quiet)).toEqual(["IDX_catalog_product_title_id"])
    expect(await valid()).toEqual([...names].sort())

    // A first page in title order reads the index instead of sorting the table.
    await db.raw("analyze product")
    const plan = (
      await db.raw(`explain select id, title from product where deleted_at is null order by title asc, id asc limit 21`)
    ).rows
      .map((r: Record<string, string>) => r["QUERY PLAN"])
      .join("\n")
    expect(plan).toContain("IDX_catalog_product_title_id")
    expect(plan).not.toContain("Sort")
  })
})

describe("Brand.products: the walk in title order", () => {
  const allBrands = ["brand_big1", "brand_big2", "brand_mid", "brand_small", "brand_none"]
  const callers: Caller[] = [{ kind: "admin" }, { kind: "storefront", salesChannelIds: ["sc_a"], keyChannelIds: ["sc_a"] }]
  const noFilter: ProductFilter = { categoryIds: null, includeCategoryDescendants: false }

  it("picks what reading each brand's links picks, whether a brand falls back or not", async () => {
    const statements: string[] = []
    const log = (q: { sql: string }) => statements.push(q.sql)
    db.on("query", log)
    const cursorAt = async (offset: number) => {
      const row = (await db.raw(`select id, title from product where deleted_at is null order by title, id offset ? limit 1`, [offset])).rows[0]
      return encodeCursor({ type: "Product", field: "TITLE", value: row.title, id: row.id })
    }
    const [mid, nearEnd] = [await cursorAt(1200), await cursorAt(2900)]
    const pages = [
      { first: 1 },
      { first: 3 },
      { first: 5 },
      { first: 1, after: mid },
      { first: 4, after: mid },
      { first: 5, after: nearEnd },
      { last: 2 },
      { last: 3, before: mid },
    ]
    /** Statements that fell back to the links, by brands, caller, direction and page. */
    const fallbacks = new Map<string, number>()
    try {
      for (const brands of [allBrands, ["brand_big1", "brand_big2"]]) {
        for (const caller of callers) {
          for (const direction of ["ASC", "DESC"] as const) {
            for (const args of pages) {
              const plan = planPage(PRODUCT_ENTITY, args, { field: "TITLE", direction })
              const ctx = { db, caller, query: null as any, readCache: { enabled: false, ttl: 0 } }
              statements.length = 0
              const picked = await pickPerBrand(ctx, brands, noFilter, plan)
              const label = JSON.stringify({ brands: brands.length, caller: caller.kind, direction, args })
              // The walk first, always; then the links of the brands it did not fill, if any.
              expect({ label, walks: statements.filter((s) => !s.includes("unnest")).length }).toEqual({ label, walks: 1 })
              fallbacks.set(label, statements.filter((s) => s.includes("unnest")).length)
              const reference = (await perBrandPageStatement(ctx, brands, noFilter, plan)).rows
              expect({ label, picked: byBrand(picked) }).toEqual({ label, picked: byBrand(reference) })
            }
          }
        }
      }
    } finally {
      db.removeListener("query", log)
    }
    const fellBack = (brands: string[], args: object, direction = "ASC") =>
      fallbacks.get(JSON.stringify({ brands: brands.length, caller: "admin", direction, args }))
    // The small brand (and the one without products) fall back; the big ones fill their pages.
    expect(fellBack(allBrands, { first: 3 })).toBe(1)
    expect(fellBack(["brand_big1", "brand_big2"], { first: 3 })).toBe(0)
    // Near the end of the order the walk finds fewer rows than it asked for: nothing is left to look for.
    expect(fellBack(allBrands, { first: 5, after: nearEnd })).toBe(0)
  })
})

/** Each brand's ids in the order picked. */
function byBrand(rows: { brand_id: string; id: string }[]): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  for (const { brand_id, id } of rows) (out[brand_id] ??= []).push(id)
  return out
}
