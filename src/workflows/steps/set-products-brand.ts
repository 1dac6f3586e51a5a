import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import {
  changeProductBrands,
  restoreProductBrands,
  type ProductBrandState,
} from "./product-brand-links"

export type SetProductsBrandStepInput = ProductBrandState[]

/** Gives each product the brand named (null: no brand). Compensation restores the old ones. */
export const setProductsBrandStep = createStep(
  "set-products-brand",
  async (wanted: SetProductsBrandStepInput, { container }) => {
    const before = await changeProductBrands(container, wanted)
    return new StepResponse(wanted, before)
  },
  async (before, { container }) => {
    await restoreProductBrands(container, before)
  }
)
