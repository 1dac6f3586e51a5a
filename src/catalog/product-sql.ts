import type { Knex } from "@medusajs/framework/mikro-orm/knex"
import { PRODUCT_ENTITY } from "./entities"
import { applySqlKeyset, sqlOrder, type PagePlan } from "./keyset"
import { productConditions } from "./product-filter"
import { readRecords, type Projection } from "./read"
import type { ReadContext } from "./read-context"
import type { ProductRecord } from "./records"

// Product pages that Query cannot plan (the first products of each of many
// brands; products without a brand): one statement picks the ids of the page,
// and one query.graph call loads those products with the projection's fields.

/** The product-brand link table that `medusa db:migrate` makes of src/links/product-brand.ts. */
export const LINK_TABLE = "product_product_brand_brand"

/** The live link rows of `p`, for EXISTS and NOT EXISTS. */
export function liveLinkOf(db: Knex): Knex.QueryBuilder {
  return db(`${LINK_TABLE} as l`).select(db.raw("1")).whereRaw("l.product_id = p.id").whereNull("l.deleted_at")
}

/** The ids of the first `plan.limit + 1` products of `products` (a builder over `p`) after the plan's cursors. */
export async function pickPage(db: Knex, products: Knex.QueryBuilder, plan: PagePlan): Promise<string[]> {
  const rows: { id: string }[] = await applySqlKeyset(products, plan, "p")
    .select("p.id")
    .orderByRaw(sqlOrder(plan, "p"))
    .limit(plan.limit + 1)
  return rows.map((r) => r.id)
}

/**
 * Loads the picked products with the projection's fields (and the order
 * column, for cursors): one query.graph call. Visibility is applied again,
 * so a product hidden since it was picked is not shown.
 */
export async function loadProducts(
  ctx: ReadContext,
  projection: Projection,
  plan: PagePlan,
  ids: string[]
): Promise<Map<string, ProductRecord>> {
  const byId = new Map<string, ProductRecord>()
  if (!ids.length) return byId
  const fields = projection.fields.includes(plan.column) ? projection.fields : [...projection.fields, plan.column]
  const visible = productConditions(ctx.caller, { categoryIds: null, hasBrand: null })
  const records = await readRecords<ProductRecord>(ctx, PRODUCT_ENTITY, { ...projection, fields }, [
    { id: { $in: ids } },
    ...visible,
  ])
  for (const p of records) byId.set(p.id, p)
  return byId
}

export async function countOf(products: Knex.QueryBuilder): Promise<number> {
  const [{ count }] = await products.count("* as count")
  return Number(count)
}

