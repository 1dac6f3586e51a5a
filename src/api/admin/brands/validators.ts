import { z } from "@medusajs/framework/zod"
import { createFindParams, createSelectParams } from "@medusajs/medusa/api/utils/validators"

export const AdminGetBrandParams = createSelectParams()

export const AdminGetBrandsParams = createFindParams({ limit: 20, offset: 0 }).extend({
  q: z.string().optional(),
  id: z.union([z.string(), z.array(z.string())]).optional(),
  handle: z.union([z.string(), z.array(z.string())]).optional(),
})
export type AdminGetBrandsParamsType = z.infer<typeof AdminGetBrandsParams>

const metadata = z.record(z.string(), z.unknown()).nullish()

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
