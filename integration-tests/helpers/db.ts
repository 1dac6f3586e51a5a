import type { Knex } from "knex"

/** The product-brand link table that `medusa db:migrate` creates from src/links/product-brand.ts. */
export const LINK_TABLE = "product_product_brand_brand"

export type LinkRow = {
  id: string
  product_id: string
  brand_id: string
  deleted_at: Date | null
}

// `dbConnection` from medusaIntegrationTestRunner is a proxy object, not the
// callable knex instance: go through `raw` only.

/** Link rows that are not soft-deleted, optionally only those of a product or a brand. */
export async function liveLinks(
  db: Knex,
  where: { product_id?: string; brand_id?: string } = {}
): Promise<LinkRow[]> {
  const conditions = ["deleted_at is null"]
  const bindings: string[] = []
  for (const [column, value] of Object.entries(where)) {
    conditions.push(`${column} = ?`)
    bindings.push(value as string)
  }
  const { rows } = await db.raw(
    `select id, product_id, brand_id, deleted_at from ${LINK_TABLE}
      where ${conditions.join(" and ")} order by id`,
    bindings
  )
  return rows
}

/** Every link row, soft-deleted ones included. */
export async function allLinks(db: Knex): Promise<LinkRow[]> {
  const { rows } = await db.raw(
    `select id, product_id, brand_id, deleted_at from ${LINK_TABLE} order by id`
  )
  return rows
}

/** A single integer from a `select count(*)::int as n ...` style statement. */
export async function countOf(db: Knex, sql: string, bindings: unknown[] = []): Promise<number> {
  const { rows } = await db.raw(sql, bindings as any)
  return Number(rows[0].n)
}

/** A brand row as stored, soft-deleted or not (undefined when there is none). */
export async function brandRow(db: Knex, id: string) {
  const { rows } = await db.raw(`select * from brand where id = ?`, [id])
  return rows[0]
}

/** A product row as stored, soft-deleted or not (undefined when there is none). */
export async function productRow(db: Knex, id: string) {
  const { rows } = await db.raw(`select * from product where id = ?`, [id])
  return rows[0]
}
