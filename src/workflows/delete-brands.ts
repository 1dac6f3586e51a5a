import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { deleteBrandsStep } from "./steps/delete-brands"
import { ensureRecordsExistStep } from "./steps/ensure-records-exist"

export type DeleteBrandsWorkflowInput = { ids: string[] }

/** Deletes brands and their product links; the products themselves stay. */
export const deleteBrandsWorkflow = createWorkflow(
  "delete-brands",
  (input: DeleteBrandsWorkflowInput) => {
    const check = transform({ input }, ({ input }) => ({
      entity: "brand" as const,
      ids: input.ids,
      field: "id",
    }))
    ensureRecordsExistStep(check)
    const ids = deleteBrandsStep(input.ids)
    return new WorkflowResponse(ids)
  }
)
