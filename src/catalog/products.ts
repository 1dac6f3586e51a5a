import { PRODUCT_ENTITY } from "./entities"
import type { Filters } from "./filters"
import type { Connection } from "./page"
import { asksForUnbranded, prepareProductFilter, productConditions, type ProductFilterInput } from "./product-filter"
import { readPage, readRecords, type PageRequest, type Projection } from "./read"
import type { ReadContext } from "./read-context"
import type { ProductRecord } from "./records"
import { readProductsWithoutBrand } from "./unbranded-products"

/** A page of the products the caller may see that match the filter. */
export async function readProductPage(
  ctx: ReadContext,
  projection: Projection,
  args: PageRequest & { filter?: ProductFilterInput | null },
  want: { totalCount: boolean }
): Promise<Connection<ProductRecord>> {
  const filter = await prepareProductFilter(ctx, args.filter)
  if (asksForUnbranded(filter)) return readProductsWithoutBrand(ctx, projection, args, filter, want)
  return readPage<ProductRecord>(ctx, PRODUCT_ENTITY, projection, args, productConditions(ctx.caller, filter), want)
}

/**
 * What a product record can show: the product, its brand, and its prices.
 * A record kept under their versions is dropped when any of them changes.
 */
const PRODUCT_RECORD_DOMAINS = ["product", "brand", "price"] as const

/**
 * Products the caller may see, by id or handle (whichever are given; both
 * must match). By ids alone, the records this process keeps for the same
 * selection and visibility (ctx.rememberEach) are taken as they are, and the
 * rest are read with one query.graph call.
 */
export async function readProducts(
  ctx: ReadContext,
  projection: Projection,
  where: { ids?: readonly string[]; handle?: string }
): Promise<ProductRecord[]> {
  const visible: Filters[] = productConditions(ctx.caller, { categoryIds: null })
  const read = (ids: readonly string[] | undefined) => {
    const conditions = [...visible]
    if (ids) conditions.push({ id: { $in: [...ids] } })
    if (where.handle != null) conditions.push({ handle: where.handle })
    return readRecords<ProductRecord>(ctx, PRODUCT_ENTITY, projection, conditions)
  }
  if (!where.ids || where.handle != null || !ctx.rememberEach) return read(where.ids)

  // A record is kept for one selection, as one visibility rule reads it.
  const scope = `${JSON.stringify([projection, visible])}\u0000`
  const records = await ctx.rememberEach<ProductRecord>(
    PRODUCT_RECORD_DOMAINS,
    [...new Set(where.ids)].map((id) => scope + id),
    async (missing) => {
      const ids = missing.map((key) => key.slice(scope.length))
      const byId = new Map((await read(ids)).map((p) => [p.id, p]))
      return ids.map((id) => byId.get(id) ?? null)
    }
  )
  return records.filter((p): p is ProductRecord => p !== null)
}
