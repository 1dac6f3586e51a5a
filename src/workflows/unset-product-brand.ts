import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { ensureRecordsExistStep } from "./steps/ensure-records-exist"
import { setProductsBrandStep } from "./steps/set-products-brand"

export type UnsetProductBrandWorkflowInput = { product_id: string }

/** Removes a product's brand link; the product and the brand stay. */
export const unsetProductBrandWorkflow = createWorkflow(
  "unset-product-brand",
  (input: UnsetProductBrandWorkflowInput) => {
    const product = transform({ input }, ({ input }) => ({
      entity: "product" as const,
      ids: [input.product_id],
      field: "productId",
    }))
    ensureRecordsExistStep(product)
    const wanted = transform({ input }, ({ input }) => [
      { product_id: input.product_id, brand_id: null },
    ])
    setProductsBrandStep(wanted)
    return new WorkflowResponse(input)
  }
)
