import { createWorkflow, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import type { CreateBrandInput } from "../modules/brand/service"
import { createBrandsStep } from "./steps/create-brands"

export type CreateBrandsWorkflowInput = { brands: CreateBrandInput[] }

export const createBrandsWorkflow = createWorkflow(
  "create-brands",
  (input: CreateBrandsWorkflowInput) => {
    const brands = createBrandsStep(input.brands)
    return new WorkflowResponse(brands)
  }
)
