import DataLoader from "dataloader"
import type { GraphQLResolveInfo } from "graphql"
import type { ProductFilter } from "../__generated__/resolvers-types"
import type { GraphQLContext } from "../context"
import { buildConnection, type Connection } from "./connection"
import { PRODUCT } from "./entities"
import { assertValidFilter, idSet } from "./filters"
import { cursorOf, cutPage, planPage, type OrderArg, type PageArgs } from "./pagination"
import { LINK_TABLE, loadProducts, pickPage, visibleProducts } from "./product-sql"
import type { ProductRecord } from "./records"
import { connectionSelection } from "./selection"

export type BrandProductsArgs = PageArgs & { filter?: ProductFilter | null; orderBy?: OrderArg }

type Context = Pick<GraphQLContext, "db" | "query" | "isAdmin" | "readCache" | "scope">

/**
 * Plans Brand.products for every brand on a page at once. Query has no
 * per-parent limit, so one statement over the link table picks the first
 * `limit + 1` product ids of each brand (with, when totalCount is selected, a
 * count per brand alongside), and one query.graph call loads those products
 * with the selected fields.
 */
export function createBrandProductsLoader(
  ctx: Context,
  info: GraphQLResolveInfo,
  args: BrandProductsArgs
): DataLoader<string, Connection<ProductRecord>> {
  return new DataLoader(async (brandIds) => {
    const plan = planPage(PRODUCT, args, args.orderBy)
    assertValidFilter(args.filter)
    const selection = connectionSelection(info, info.fieldNodes, "Product")

    const [picked, counts] = await Promise.all([
      pickPage(ctx, linkedProducts(ctx, [...brandIds], args.filter), plan, "l.brand_id"),
      selection.totalCount ? countProducts(ctx, [...brandIds], args.filter) : null,
    ])
    const byId = await loadProducts(ctx, info, selection.node, plan, [...new Set(picked.map((r) => r.id))])
    const idsByBrand = new Map<string, string[]>()
    for (const { part, id } of picked) {
      const ids = idsByBrand.get(part!)
      if (ids) ids.push(id)
      else idsByBrand.set(part!, [id])
    }

    return brandIds.map((brandId) => {
      const rows = (idsByBrand.get(brandId) ?? [])
        .map((id) => byId.get(id))
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

/** The brands' live products, joined to their live link rows as `l`. */
function linkedProducts(ctx: Context, brandIds: string[], filter: ProductFilter | null | undefined) {
  const q = visibleProducts(ctx, filter)
    .join(`${LINK_TABLE} as l`, "l.product_id", "p.id")
    .whereNull("l.deleted_at")
    .whereIn("l.brand_id", brandIds)
  const only = idSet(filter?.brandId)
  if (only) q.whereIn("l.brand_id", only)
  // Every product here has a brand: hasBrand: false leaves none.
  if (filter?.hasBrand === false) q.whereRaw("false")
  return q
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
