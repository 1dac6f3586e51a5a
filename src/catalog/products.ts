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

/** Products the caller may see, by ids or handle (whichever are given; both must match), with one query.graph call. */
export async function readProducts(
  ctx: ReadContext,
  projection: Projection,
  where: { ids?: readonly string[]; handle?: string }
): Promise<ProductRecord[]> {
  const conditions: Filters[] = productConditions(ctx.caller, { categoryIds: null })
  if (where.ids) conditions.push({ id: { $in: [...new Set(where.ids)] } })
  if (where.handle != null) conditions.push({ handle: where.handle })
  return readRecords<ProductRecord>(ctx, PRODUCT_ENTITY, projection, conditions)
}
