import type { GraphQLResolveInfo } from "graphql"
import type { Knex } from "@medusajs/framework/mikro-orm/knex"
import type { ProductFilter } from "../__generated__/resolvers-types"
import type { GraphQLContext } from "../context"
import { PRODUCT, productProjection } from "./entities"
import { idSet, likePattern } from "./filters"
import { readOrder, type PagePlan } from "./pagination"
import { readOptions } from "./read-cache"
import type { ProductRecord } from "./records"
import type { Selection } from "./selection"

// Product pages that Query cannot plan (the first products of each of many
// brands; products without a brand): one statement picks the ids of the page,
// and one query.graph call loads those products with the selected fields.

export const LINK_TABLE = "product_product_brand_brand"

type Context = Pick<GraphQLContext, "db" | "query" | "isAdmin" | "readCache" | "scope">

/**
 * Live products the caller may see, as `p`, with the filter's product fields
 * applied. Its brand conditions are left to the caller, who decides how the
 * link table takes part.
 */
export function visibleProducts(ctx: Context, filter: ProductFilter | null | undefined): Knex.QueryBuilder {
  const q = ctx.db("product as p").whereNull("p.deleted_at")
  if (!ctx.isAdmin) q.where("p.status", "published")
  if (!filter) return q
  const ids = idSet(filter.id)
  if (ids) q.whereIn("p.id", ids)
  for (const [column, f] of [["title", filter.title], ["handle", filter.handle]] as const) {
    if (!f) continue
    if (f.eq != null) q.where(`p.${column}`, f.eq)
    if (f.in != null) q.whereIn(`p.${column}`, f.in)
    if (f.contains != null) q.whereRaw(`p.${column} ILIKE ? ESCAPE '\\'`, [likePattern(f.contains)])
  }
  if (filter.status) q.whereIn("p.status", filter.status)
  return q
}

/** The live link rows of `p`, for EXISTS and NOT EXISTS. */
export function liveLinkOf(ctx: Context): Knex.QueryBuilder {
  return ctx.db(`${LINK_TABLE} as l`).select(ctx.db.raw("1")).whereRaw("l.product_id = p.id").whereNull("l.deleted_at")
}

/**
 * The ids of the first `plan.limit + 1` products of `products` (a builder it
 * adds to) after the plan's cursors, in its order; per value of `partition`
 * when given (a window function), so that many parents' pages come from one
 * statement.
 */
export async function pickPage(
  ctx: Context,
  products: Knex.QueryBuilder,
  plan: PagePlan,
  partition?: string
): Promise<{ part: string | null; id: string }[]> {
  const { column, direction } = readOrder(plan)
  // Timestamps are compared at the millisecond precision that cursors carry.
  const key = plan.isDate ? `date_trunc('milliseconds', p.${column})` : `p.${column}`
  for (const [cursor, side] of [[plan.after, "after"], [plan.before, "before"]] as const) {
    if (!cursor) continue
    const forward = (plan.direction === "ASC") === (side === "after")
    const value = plan.isDate ? new Date(cursor.value) : cursor.value
    products.whereRaw(`(${key}, p.id) ${forward ? ">" : "<"} (?, ?)`, [value, cursor.id])
  }
  const order = `${key} ${direction}, p.id ${direction}`
  if (!partition) {
    return await products
      .select(ctx.db.raw("null as part"), "p.id")
      .orderByRaw(order)
      .limit(plan.limit + 1)
  }
  const ranked = products.select(
    ctx.db.raw(`${partition} as part`),
    "p.id",
    ctx.db.raw(`row_number() over (partition by ${partition} order by ${order}) as rn`)
  )
  return await ctx.db
    .select("part", "id")
    .from(ranked.as("ranked"))
    .where("rn", "<=", plan.limit + 1)
    .orderBy([{ column: "part" }, { column: "rn" }])
}

/**
 * Loads the picked products with the fields `selection` asks for (and the
 * order column, for cursors): one query.graph call. Visibility is applied
 * again, so a product unpublished since it was picked is not shown.
 */
export async function loadProducts(
  ctx: Context,
  info: GraphQLResolveInfo,
  selection: Selection,
  plan: PagePlan,
  ids: string[]
): Promise<Map<string, ProductRecord>> {
  const byId = new Map<string, ProductRecord>()
  if (!ids.length) return byId
  const { fields, context } = await productProjection(ctx, info, selection)
  if (!fields.includes(plan.column)) fields.push(plan.column)
  const { data } = await ctx.query.graph(
    {
      entity: PRODUCT.entity,
      fields,
      filters: { id: ids, ...(ctx.isAdmin ? {} : { status: "published" }) },
      ...(context ? { context } : {}),
    } as any,
    readOptions(ctx.readCache, info, PRODUCT.typename)
  )
  for (const p of data as ProductRecord[]) byId.set(p.id, p)
  return byId
}
