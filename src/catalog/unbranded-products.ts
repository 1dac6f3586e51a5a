import { PRODUCT_ENTITY } from "./entities"
import { cursorOf, cutPage, planPage } from "./keyset"
import { buildConnection, type Connection } from "./page"
import { visibleProducts, type ProductFilter } from "./product-filter"
import { countOf, liveLinkOf, loadProducts, pickPage } from "./product-sql"
import type { PageRequest, Projection } from "./read"
import { cachedPlannedRead } from "./read-cache"
import type { ReadContext } from "./read-context"
import type { ProductRecord } from "./records"

/**
 * Products without a brand. Query cannot say "has no linked brand" (in
 * Medusa 2.21 `$not` is ignored there, and `brand: { id: null }` matches
 * nothing), so one statement picks the page's ids with NOT EXISTS over the
 * link table, and one query.graph call loads them: no more rows than the
 * page holds, however many products have no brand. A count runs alongside
 * the pick, only when asked for. Both results are cached like Query's reads,
 * so a storefront does not pay for the count (a scan of every product) on
 * each request.
 */
export async function readProductsWithoutBrand(
  ctx: ReadContext,
  projection: Projection,
  args: PageRequest,
  filter: ProductFilter,
  want: { totalCount: boolean }
): Promise<Connection<ProductRecord>> {
  const plan = planPage(PRODUCT_ENTITY, args, args.orderBy)
  const unbranded = () => visibleProducts(ctx, filter).whereNotExists(liveLinkOf(ctx.db))
  const key = [ctx.caller, filter]
  const [{ ids }, counted] = await Promise.all([
    cachedPlannedRead(ctx, ["unbranded-page", ...key, plan], async () => ({ ids: await pickPage(ctx.db, unbranded(), plan) })),
    want.totalCount
      ? cachedPlannedRead(ctx, ["unbranded-count", ...key], async () => ({ count: await countOf(unbranded()) }))
      : undefined,
  ])
  const totalCount = counted?.count
  const byId = await loadProducts(ctx, projection, plan, ids)
  const rows = ids.map((id) => byId.get(id)).filter((p): p is ProductRecord => !!p)
  const page = cutPage(plan, rows)
  return buildConnection(page.rows, (row) => cursorOf(PRODUCT_ENTITY, plan, row), page, totalCount)
}
