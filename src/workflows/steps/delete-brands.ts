import type { MedusaContainer } from "@medusajs/framework/types"
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
 * losing its new brand here. Compensation restores the links dismissed, then
 * the brands.
 *
 * The two changes are two modules' transactions, in this order: a process
 * that dies between them leaves deleted brands with live links, which
 * src/jobs/finish-brand-deletions.ts finds and finishes (dismissLinksOfDeletedBrands).
 * A compensation that dies half-way leaves the same state (its links are
 * put back first), and is finished the same way.
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
      // A product that has been given another brand since keeps it.
      const now = await readProductBrands(container, productIds)
      const unbranded = new Set(now.filter((p) => !p.brand_id).map((p) => p.product_id))
      await applyProductBrands(
        container,
        deleted.links.filter((l) => unbranded.has(l.product_id))
      )
      await brandService.restoreBrands(deleted.ids)
    })
  }
)

/**
 * Finishes deletions a dead process left half-done: dismisses the live
 * product links of deleted brands, under the same locks as a deletion (a
 * deletion still running holds them, and leaves nothing to do). Returns the
 * brands whose links it dismissed.
 */
export async function dismissLinksOfDeletedBrands(container: MedusaContainer, brandIds: string[]): Promise<string[]> {
  const brandService: BrandModuleService = container.resolve(BRAND_MODULE)
  const finished: string[] = []
  for (const brandId of brandIds) {
    await withBrandLocks(container, { brandIds: [brandId] }, async () => {
      // A compensation may have brought the brand back meanwhile: its links stay then.
      const [brand] = await brandService.listBrands({ id: brandId }, { withDeleted: true, select: ["id", "deleted_at"] })
      if (!brand?.deleted_at) return
      const productIds = await linkedProductIds(container, [brandId])
      if (!productIds.length) return
      await withBrandLocks(container, { productIds }, async () => {
        const links = (await readProductBrands(container, productIds)).filter((p) => p.brand_id === brandId)
        await applyProductBrands(
          container,
          links.map((l) => ({ product_id: l.product_id, brand_id: null }))
        )
      })
      finished.push(brandId)
    })
  }
  return finished
}

/** The products the brands are linked to (live links only). */
export async function linkedProductIds(container: MedusaContainer, brandIds: string[]) {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "product_brand",
    fields: ["product_id"],
    filters: { brand_id: brandIds },
  })
  return data.map((l: { product_id: string }) => l.product_id)
}
