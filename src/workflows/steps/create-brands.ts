import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { BRAND_MODULE } from "../../modules/brand"
import type BrandModuleService from "../../modules/brand/service"
import { asHandleClash, type CreateBrandInput } from "../../modules/brand/service"

/** How often a create whose derived handle was taken by a concurrent writer is tried. */
const MAX_ATTEMPTS = 15

/**
 * Among how many free handles a try picks one at random: the first free one
 * at first, then one more each try, so that writers that keep meeting on one
 * handle spread out while the suffixes stay small (30 creates of one name at
 * once all succeed within a few tries).
 */
const spreadOf = (attempt: number) => attempt

/**
 * Creates brands after the module's rules settle their names and handles.
 * A concurrent create can take a handle between the check and the insert; the
 * unique index then refuses the insert. Derived handles are settled again and
 * the insert retried, each time picking among more free handles; an explicit
 * handle fails with DUPLICATE_ERROR. The unique index stays the only judge.
 */
export const createBrandsStep = createStep(
  "create-brands",
  async (inputs: CreateBrandInput[], { container }) => {
    const brandService: BrandModuleService = container.resolve(BRAND_MODULE)
    const derives = inputs.some((i) => i.handle === undefined)
    for (let attempt = 1; ; attempt++) {
      const prepared = await brandService.prepareBrandsForCreate(inputs, { spread: spreadOf(attempt) })
      try {
        const brands = await brandService.createBrands(prepared)
        return new StepResponse(
          brands,
          brands.map((b) => b.id)
        )
      } catch (error) {
        const clash = asHandleClash(error)
        if (!clash) throw error
        if (!derives || attempt >= MAX_ATTEMPTS) throw clash
      }
    }
  },
  async (ids, { container }) => {
    if (!ids?.length) return
    const brandService: BrandModuleService = container.resolve(BRAND_MODULE)
    await brandService.deleteBrands(ids)
  }
)
