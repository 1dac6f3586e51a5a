import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import type { BrandInput } from "../modules/brand/service"
import { ensureRecordsExistStep } from "./steps/ensure-records-exist"
import { updateBrandStep } from "./steps/update-brand"

export type UpdateBrandWorkflowInput = { id: string; update: BrandInput }

export const updateBrandWorkflow = createWorkflow(
  "update-brand",
  (input: UpdateBrandWorkflowInput) => {
    const check = transform({ input }, ({ input }) => ({
      entity: "brand" as const,
      ids: [input.id],
      field: "id",
    }))
    ensureRecordsExistStep(check)
    const brand = updateBrandStep(input)
    return new WorkflowResponse(brand)
  }
)
