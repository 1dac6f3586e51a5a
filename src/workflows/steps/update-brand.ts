import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { BRAND_MODULE } from "../../modules/brand"
import type BrandModuleService from "../../modules/brand/service"
import { asHandleClash, type BrandInput } from "../../modules/brand/service"

export type UpdateBrandStepInput = { id: string; update: BrandInput }

/** Updates one brand; compensation writes back the fields it had. */
export const updateBrandStep = createStep(
  "update-brand",
  async ({ id, update }: UpdateBrandStepInput, { container }) => {
    const brandService: BrandModuleService = container.resolve(BRAND_MODULE)
    const previous = await brandService.retrieveBrand(id)
    const prepared = await brandService.prepareBrandForUpdate(id, update)
    // The unique index refuses a handle that a concurrent writer took after the check.
    const brand = await brandService.updateBrands({ id, ...prepared }).catch((error) => {
      throw asHandleClash(error) ?? error
    })
    return new StepResponse(brand, {
      id,
      name: previous.name,
      handle: previous.handle,
      description: previous.description,
      metadata: previous.metadata,
    })
  },
  async (previous, { container }) => {
    if (!previous) return
    const brandService: BrandModuleService = container.resolve(BRAND_MODULE)
    await brandService.updateBrands(previous as any)
  }
)
