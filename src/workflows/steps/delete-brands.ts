import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { BRAND_MODULE } from "../../modules/brand"
import type BrandModuleService from "../../modules/brand/service"

/** Soft-deletes brands; compensation restores them. */
export const deleteBrandsStep = createStep(
  "delete-brands",
  async (ids: string[], { container }) => {
    const brandService: BrandModuleService = container.resolve(BRAND_MODULE)
    await brandService.softDeleteBrands(ids)
    return new StepResponse(ids, ids)
  },
  async (ids, { container }) => {
    if (!ids?.length) return
    const brandService: BrandModuleService = container.resolve(BRAND_MODULE)
    await brandService.restoreBrands(ids)
  }
)
