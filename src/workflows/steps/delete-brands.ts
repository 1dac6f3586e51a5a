import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { BRAND_MODULE } from "../../modules/brand"
import type BrandModuleService from "../../modules/brand/service"
import {
  applyProductBrands,
  readProductBrands,
  withBrandLocks,
  type ProductBrandState,
} from "./product-brand-links"

type Deleted = { ids: string[]; links: ProductBrandState[] }

/**
 * Soft-deletes brands and dismisses their live product links. The brands'
 * locks keep new links to them from being made meanwhile; the products'
 * locks (taken next, in the same brand-then-product order as every brand
 * change) keep a product that moves to another brand at the same moment from
 * losing its new brand here. Compensation restores the brands and exactly the
 * links dismissed.
 */
export const deleteBrandsStep = createStep(
  "delete-brands",
  async (ids: string[], { container }) => {
    const brandService: BrandModuleService = container.resolve(BRAND_MODULE)
    const deleted = await withBrandLocks(container, { brandIds: ids }, async (): Promise<Deleted> => {
      const productIds = await linkedProductIds(container, ids)
      return await withBrandLocks(container, { productIds }, async () => {
        const brandOf = new Set(ids)
        const links = (await readProductBrands(container, productIds)).filter(
          (p) => p.brand_id && brandOf.has(p.brand_id)
        )
        await brandService.softDeleteBrands(ids)
        await applyProductBrands(
          container,
          links.map((l) => ({ product_id: l.product_id, brand_id: null }))
        )
        return { ids, links }
      })
    })
    return new StepResponse(ids, deleted)
  },
  async (deleted, { container }) => {
    if (!deleted?.ids.length) return
    const brandService: BrandModuleService = container.resolve(BRAND_MODULE)
    const productIds = deleted.links.map((l) => l.product_id)
    await withBrandLocks(container, { productIds, brandIds: deleted.ids }, async () => {
      await brandService.restoreBrands(deleted.ids)
      // A product that has been given another brand since keeps it.
      const now = await readProductBrands(container, productIds)
      const unbranded = new Set(now.filter((p) => !p.brand_id).map((p) => p.product_id))
      await applyProductBrands(
        container,
        deleted.links.filter((l) => unbranded.has(l.product_id))
      )
    })
  }
)

/** The products the brands are linked to (live links only). */
async function linkedProductIds(container: Parameters<typeof readProductBrands>[0], brandIds: string[]) {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "product_brand",
    fields: ["product_id"],
    filters: { brand_id: brandIds },
  })
  return data.map((l: { product_id: string }) => l.product_id)
}
