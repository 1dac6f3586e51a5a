import type { Knex } from "@medusajs/framework/mikro-orm/knex"
import { PRODUCT_SALES_CHANNEL_TABLE } from "./visibility"
import { LINK_TABLE } from "./product-sql"

/**
 * An index the catalog's reads need on a table another module owns (Medusa's
 * Product module, or a link table). Created by the migration script
 * src/migration-scripts/create-catalog-read-indexes.ts; every name starts
 * with IDX_catalog_ so that it never meets one of Medusa's.
 */
export type ReadIndex = {
  name: string
  table: string
  /** What follows `ON <table>`: method, key columns, INCLUDE and WHERE. */
  definition: string
  /** An extension the index needs (its operator class). */
  extension?: string
}

/** Live rows only: every catalog read filters deleted_at IS NULL, so the indexes skip soft-deleted rows. */
const LIVE = "where deleted_at is null"

export const CATALOG_READ_INDEXES: readonly ReadIndex[] = [
  // The product orders the API offers, each with id as the tie-breaker: a
  // first page reads `first + 1` index entries instead of sorting the
  // catalog. The status rides along, so that a storefront's page (published
  // products only) is read from the index too.
  { name: "IDX_catalog_product_title_id", table: "product", definition: `(title, id) include (status) ${LIVE}` },
  { name: "IDX_catalog_product_created_at_id", table: "product", definition: `(created_at, id) include (status) ${LIVE}` },
  { name: "IDX_catalog_product_updated_at_id", table: "product", definition: `(updated_at, id) include (status) ${LIVE}` },
  // `title: { contains }` is ILIKE '%…%': trigrams find the candidates
  // instead of a scan of every title (patterns of three characters or more).
  {
    name: "IDX_catalog_product_title_trgm",
    table: "product",
    definition: `using gin (title gin_trgm_ops) ${LIVE}`,
    extension: "pg_trgm",
  },
  // A brand's products, and "has this product that brand", from the index
  // alone (Medusa's link indexes hold one column each, so every row they find
  // is read from the table to check the other).
  { name: "IDX_catalog_product_brand_brand_product", table: LINK_TABLE, definition: `(brand_id, product_id) ${LIVE}` },
  { name: "IDX_catalog_product_brand_product_brand", table: LINK_TABLE, definition: `(product_id, brand_id) ${LIVE}` },
  // A storefront's "is this product in one of my sales channels", from the index alone.
  {
    name: "IDX_catalog_product_sales_channel_product_channel",
    table: PRODUCT_SALES_CHANNEL_TABLE,
    definition: `(product_id, sales_channel_id) ${LIVE}`,
  },
]

/**
 * CREATE INDEX CONCURRENTLY: a catalog that is being written to keeps taking
 * writes while the index builds. IF NOT EXISTS makes a second run a no-op.
 */
export function createIndexStatement(index: ReadIndex): string {
  return `create index concurrently if not exists "${index.name}" on "${index.table}" ${index.definition}`
}

type Log = { info(message: string): void; warn(message: string): void }

/**
 * Creates the indexes that are missing. A concurrent build that failed
 * leaves an invalid index behind, which IF NOT EXISTS would take for done:
 * it is dropped and built again. An index whose extension cannot be
 * created (no privilege for it on a managed server) is left out with a
 * warning that says how to add it by hand; the reads it serves still work,
 * by a scan.
 */
export async function createCatalogReadIndexes(db: Knex, log: Log, indexes = CATALOG_READ_INDEXES): Promise<string[]> {
  const created: string[] = []
  for (const index of indexes) {
    if (index.extension && !(await ensureExtension(db, index.extension))) {
      log.warn(
        `${index.name} needs the PostgreSQL extension ${index.extension}, which could not be created; ` +
          `reads it serves scan instead. To add it: create extension ${index.extension}; ${createIndexStatement(index)};`
      )
      continue
    }
    const { rows } = await db.raw(
      `select i.indisvalid as valid from pg_index i join pg_class c on c.oid = i.indexrelid
        where c.relname = ? and c.relnamespace = current_schema()::regnamespace`,
      [index.name]
    )
    if (rows[0]?.valid) continue
    if (rows.length) await db.raw(`drop index concurrently if exists "${index.name}"`)
    const started = Date.now()
    await db.raw(createIndexStatement(index))
    log.info(`Created index ${index.name} on ${index.table} (${((Date.now() - started) / 1000).toFixed(1)} s)`)
    created.push(index.name)
  }
  return created
}

async function ensureExtension(db: Knex, name: string): Promise<boolean> {
  const has = async () => (await db.raw("select 1 from pg_extension where extname = ?", [name])).rows.length > 0
  if (await has()) return true
  try {
    await db.raw(`create extension if not exists ${name}`)
  } catch {
    return false
  }
  return has()
}
