import type { GraphQLResolveInfo } from "graphql"
import type { ProductFilter } from "../__generated__/resolvers-types"
import type { GraphQLContext } from "../context"
import { buildConnection, type Connection } from "./connection"
import { PRODUCT } from "./entities"
import { assertValidFilter } from "./filters"
import { cursorOf, cutPage, planPage, type OrderArg, type PageArgs } from "./pagination"
import { liveLinkOf, loadProducts, pickPage, visibleProducts } from "./product-sql"
import type { ProductRecord } from "./records"
import { connectionSelection } from "./selection"

/**
 * `products(filter: { hasBrand: false })`. Query cannot say "has no linked
 * brand" (in Medusa 2.21 `$not` is ignored there, and `brand: { id: null }`
 * matches nothing), so one statement picks the page's ids with NOT
 * EXISTS over the link table, and one query.graph call loads them: no more
 * rows than the page holds, however many products have no brand. A count
 * runs alongside the pick, only when totalCount is selected.
 */
export async function readProductsWithoutBrand(
  ctx: GraphQLContext,
  info: GraphQLResolveInfo,
  args: PageArgs & { filter?: ProductFilter | null; orderBy?: OrderArg }
): Promise<Connection<ProductRecord>> {
  assertValidFilter(args.filter)
  const plan = planPage(PRODUCT, args, args.orderBy)
  const selection = connectionSelection(info, info.fieldNodes, "Product")
  const unbranded = () => visibleProducts(ctx, args.filter).whereNotExists(liveLinkOf(ctx))

  const [picked, totalCount] = await Promise.all([
    pickPage(ctx, unbranded(), plan),
    selection.totalCount ? countOf(unbranded()) : undefined,
  ])
  const byId = await loadProducts(ctx, info, selection.node, plan, picked.map((r) => r.id))

  const rows = picked.map((r) => byId.get(r.id)).filter((p): p is ProductRecord => !!p)
  const page = cutPage(plan, rows)
  return buildConnection(page.rows, (row) => cursorOf(PRODUCT, plan, row), page, totalCount)
}

async function countOf(products: ReturnType<typeof visibleProducts>): Promise<number> {
  const [{ count }] = await products.count("* as count")
  return Number(count)
}
