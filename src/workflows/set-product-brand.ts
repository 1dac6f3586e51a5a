import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { ensureRecordsExistStep } from "./steps/ensure-records-exist"
import { setProductsBrandStep } from "./steps/set-products-brand"

export type SetProductBrandWorkflowInput = { product_id: string; brand_id: string }

/** Links a product to a brand, replacing the brand it had. */
export const setProductBrandWorkflow = createWorkflow(
  "set-product-brand",
  (input: SetProductBrandWorkflowInput) => {
    const product = transform({ input }, ({ input }) => ({
      entity: "product" as const,
      ids: [input.product_id],
      field: "productId",
    }))
    ensureRecordsExistStep(product).config({ name: "ensure-product-exists" })
    const brand = transform({ input }, ({ input }) => ({
      entity: "brand" as const,
      ids: [input.brand_id],
      field: "brandId",
    }))
    ensureRecordsExistStep(brand).config({ name: "ensure-brand-exists" })
    const wanted = transform({ input }, ({ input }) => [
      { product_id: input.product_id, brand_id: input.brand_id },
    ])
    setProductsBrandStep(wanted)
    return new WorkflowResponse(input)
  }
)
