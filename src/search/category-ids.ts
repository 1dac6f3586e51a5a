import { container } from "@medusajs/framework"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"

/**
 * The ids of the live categories each product is in (active or not: the
 * catalog decides what a caller may see of them), in one statement on the
 * product module's category pivot, as the catalog's category filter reads
 * it. Asked for through Query (`categories.id`), a page of a thousand
 * products takes seconds, and the category side (`products.id`) returns
 * every product of each category.
 */
export async function categoryIdsOf(productIds: string[]): Promise<Map<string, string[]>> {
  const byProduct = new Map<string, string[]>()
  if (!productIds.length) return byProduct
  const db = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
  const { rows } = await db.raw(
    `select pcp.product_id, array_agg(pcp.product_category_id order by pcp.product_category_id) as ids
       from product_category_product pcp
       join product_category pc on pc.id = pcp.product_category_id and pc.deleted_at is null
      where pcp.product_id = any(?)
      group by pcp.product_id`,
    [productIds]
  )
  for (const row of rows as { product_id: string; ids: string[] }[]) byProduct.set(row.product_id, row.ids)
  return byProduct
}
