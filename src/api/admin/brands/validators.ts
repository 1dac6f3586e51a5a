import { z } from "@medusajs/framework/zod"
import { loadAppConfig } from "../../../lib/config"
import { jsonShapeProblem } from "../../../lib/json-limits"
import { createFindParams, createSelectParams } from "@medusajs/medusa/api/utils/validators"

export const AdminGetBrandParams = createSelectParams()

// Medusa's find params pass a negative limit or offset, or an order on a
// field that does not exist (or on several fields), through to the database,
// which answers with a 500. Brands accept only these.
const pageNumber = (fallback: number) =>
  z.preprocess(
    (val) => (val && typeof val === "string" ? Number(val) : val),
    z.number().int().nonnegative().optional().default(fallback)
  )

export const AdminGetBrandsParams = createFindParams({ limit: 20, offset: 0 }).extend({
  limit: pageNumber(20),
  offset: pageNumber(0),
  order: z
    .string()
    .regex(
      /^-?(?:id|name|handle|created_at|updated_at)$/,
      "Brands can be ordered by one of id, name, handle, created_at, updated_at (prefix - for descending)."
    )
    .optional(),
  q: z.string().optional(),
  id: z.union([z.string(), z.array(z.string())]).optional(),
  handle: z.union([z.string(), z.array(z.string())]).optional(),
})
export type AdminGetBrandsParamsType = z.infer<typeof AdminGetBrandsParams>

// Checked here as well as in the Brand module: a workflow walks its input
// recursively, so metadata thousands of levels deep must not reach one.
const metadata = z
  .record(z.string(), z.unknown())
  .nullish()
  .superRefine((value, ctx) => {
    const problem = value == null ? null : jsonShapeProblem(value, loadAppConfig().metadata)
    if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: `Brand metadata ${problem}.` })
  })

export const AdminCreateBrand = z
  .object({
    name: z.string().trim().min(1).max(200),
    handle: z.string().optional(),
    description: z.string().nullish(),
    metadata,
  })
  .strict()
export type AdminCreateBrandType = z.infer<typeof AdminCreateBrand>

export const AdminUpdateBrand = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    handle: z.string().optional(),
    description: z.string().nullish(),
    metadata,
  })
  .strict()
export type AdminUpdateBrandType = z.infer<typeof AdminUpdateBrand>

/** `additional_data` accepted by Medusa's product routes. */
export const ProductBrandAdditionalData = {
  create: { brand_id: z.string().min(1).optional() },
  update: { brand_id: z.string().min(1).nullish() },
}
