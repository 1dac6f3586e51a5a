import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { BRAND_MODULE } from "../../modules/brand"
import type BrandModuleService from "../../modules/brand/service"
import type { CreateBrandInput } from "../../modules/brand/service"

/** Creates brands after the module's rules settle their names and handles. */
export const createBrandsStep = createStep(
  "create-brands",
  async (inputs: CreateBrandInput[], { container }) => {
    const brandService: BrandModuleService = container.resolve(BRAND_MODULE)
    const prepared = await brandService.prepareBrandsForCreate(inputs)
    const brands = await brandService.createBrands(prepared)
    return new StepResponse(
      brands,
      brands.map((b) => b.id)
    )
  },
  async (ids, { container }) => {
    if (!ids?.length) return
    const brandService: BrandModuleService = container.resolve(BRAND_MODULE)
    await brandService.deleteBrands(ids)
  }
)
