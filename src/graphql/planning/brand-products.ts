import DataLoader from "dataloader"
import type { GraphQLResolveInfo } from "graphql"
import type { Knex } from "@medusajs/framework/mikro-orm/knex"
import type { ProductFilter } from "../__generated__/resolvers-types"
import type { GraphQLContext } from "../context"
import { buildConnection, type Connection } from "./connection"
import { PRODUCT, productFields } from "./entities"
import { assertNoNul, idSet, likePattern } from "./filters"
import { readOptions } from "./read-cache"
import { cursorOf, cutPage, planPage, readOrder, type OrderArg, type PageArgs, type PagePlan } from "./pagination"
import type { ProductRecord } from "./records"
import { connectionSelection } from "./selection"

export type BrandProductsArgs = PageArgs & { filter?: ProductFilter | null; orderBy?: OrderArg }

type Context = Pick<GraphQLContext, "db" | "query" | "isAdmin" | "readCache">

/**
 * Plans Brand.products for every brand on a page at once. Query has no
 * per-parent limit, so one statement over the link table picks the first
 * `limit + 1` product ids of each brand (a window function), and one
 * query.graph call loads those products with the selected fields. A second
 * statement counts per brand when totalCount is selected.
 */
export function createBrandProductsLoader(
  ctx: Context,
  info: GraphQLResolveInfo,
  args: BrandProductsArgs
): DataLoader<string, Connection<ProductRecord>> {
  return new DataLoader(async (brandIds) => {
    const plan = planPage(PRODUCT, args, args.orderBy)
    assertNoNul(args.filter)
    const selection = connectionSelection(info, info.fieldNodes, "Product")

    const picked = await pickProductIds(ctx, [...brandIds], args.filter, plan)
    const counts = selection.totalCount ? await countProducts(ctx, [...brandIds], args.filter) : null

    const ids = [...new Set(picked.map((r) => r.id))]
    const byId = new Map<string, ProductRecord>()
    if (ids.length) {
      const fields = productFields(info, selection.node)
      if (!fields.includes(plan.column)) fields.push(plan.column)
      const { data } = await ctx.query.graph(
        { entity: "product", fields, filters: { id: ids } } as any,
        readOptions(ctx.readCache, info)
      )
      for (const p of data as ProductRecord[]) byId.set(p.id, p)
    }

    return brandIds.map((brandId) => {
      const rows = picked
        .filter((r) => r.brand_id === brandId)
        .map((r) => byId.get(r.id))
        .filter((p): p is ProductRecord => !!p)
      const page = cutPage(plan, rows)
      return buildConnection(
        page.rows,
        (row) => cursorOf(PRODUCT, plan, row),
        page,
        counts ? counts.get(brandId) ?? 0 : undefined
      )
    })
  })
}

/** Joins the link table to live products of the brands, with the filter applied. */
function linkedProducts(ctx: Context, brandIds: string[], filter: ProductFilter | null | undefined) {
  const q = ctx.db("product_product_brand_brand as l")
    .join("product as p", "p.id", "l.product_id")
    .whereNull("l.deleted_at")
    .whereNull("p.deleted_at")
    .whereIn("l.brand_id", brandIds)
  if (!ctx.isAdmin) q.where("p.status", "published")
  applyProductFilter(q, filter)
  return q
}

function applyProductFilter(q: Knex.QueryBuilder, filter: ProductFilter | null | undefined) {
  if (!filter) return
  const ids = idSet(filter.id)
  if (ids) q.whereIn("p.id", ids)
  for (const [column, f] of [["title", filter.title], ["handle", filter.handle]] as const) {
    if (!f) continue
    if (f.eq != null) q.where(`p.${column}`, f.eq)
    if (f.in != null) q.whereIn(`p.${column}`, f.in)
    if (f.contains != null) q.whereRaw(`p.${column} ILIKE ? ESCAPE '\\'`, [likePattern(f.contains)])
  }
  if (filter.status) q.whereIn("p.status", filter.status)
  const brandIds = idSet(filter.brandId)
  if (brandIds) q.whereIn("l.brand_id", brandIds)
  // Every product here has a brand: hasBrand: false leaves none.
  if (filter.hasBrand === false) q.whereRaw("false")
}

async function pickProductIds(
  ctx: Context,
  brandIds: string[],
  filter: ProductFilter | null | undefined,
  plan: PagePlan
): Promise<{ brand_id: string; id: string }[]> {
  const { column, direction } = readOrder(plan)
  // Timestamps are compared at the millisecond precision that cursors carry.
  const key = plan.isDate ? `date_trunc('milliseconds', p.${column})` : `p.${column}`
  const inner = linkedProducts(ctx, brandIds, filter).select(
    "l.brand_id",
    "p.id",
    ctx.db.raw(`row_number() over (partition by l.brand_id order by ${key} ${direction}, p.id ${direction}) as rn`)
  )
  for (const [cursor, side] of [[plan.after, "after"], [plan.before, "before"]] as const) {
    if (!cursor) continue
    const forward = (plan.direction === "ASC") === (side === "after")
    const value = plan.isDate ? new Date(cursor.value) : cursor.value
    inner.whereRaw(`(${key}, p.id) ${forward ? ">" : "<"} (?, ?)`, [value, cursor.id])
  }
  return await ctx.db
    .select("brand_id", "id")
    .from(inner.as("ranked"))
    .where("rn", "<=", plan.limit + 1)
    .orderBy([{ column: "brand_id" }, { column: "rn" }])
}

async function countProducts(
  ctx: Context,
  brandIds: string[],
  filter: ProductFilter | null | undefined
): Promise<Map<string, number>> {
  const rows: { brand_id: string; count: string }[] = await linkedProducts(ctx, brandIds, filter)
    .select("l.brand_id")
    .count("* as count")
    .groupBy("l.brand_id")
  return new Map(rows.map((r) => [r.brand_id, Number(r.count)]))
}
