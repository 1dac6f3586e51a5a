import type {
  AuthenticatedMedusaRequest,
  MedusaResponse,
} from "@medusajs/framework/http"
import { deleteBrandsWorkflow } from "../../../../workflows/delete-brands"
import { updateBrandWorkflow } from "../../../../workflows/update-brand"
import { refetchBrand } from "../helpers"
import type { AdminUpdateBrandType } from "../validators"

export const GET = async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
  const brand = await refetchBrand(req.scope, req.params.id, req.queryConfig.fields)
  res.json({ brand })
}

export const POST = async (
  req: AuthenticatedMedusaRequest<AdminUpdateBrandType>,
  res: MedusaResponse
) => {
  await updateBrandWorkflow(req.scope).run({
    input: { id: req.params.id, update: req.validatedBody },
  })
  const brand = await refetchBrand(req.scope, req.params.id, req.queryConfig?.fields ?? ["*"])
  res.json({ brand })
}

export const DELETE = async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
  await deleteBrandsWorkflow(req.scope).run({ input: { ids: [req.params.id] } })
  res.json({ id: req.params.id, object: "brand", deleted: true })
}
