import { createProductsWorkflow, updateProductsWorkflow } from "@medusajs/medusa/core-flows"
import { StepResponse } from "@medusajs/framework/workflows-sdk"
import { assertRecordsExist } from "../steps/ensure-records-exist"
import {
  changeProductBrands,
  restoreProductBrands,
  type ProductBrandState,
} from "../steps/product-brand-links"

type BrandData = { brand_id?: string | null } | undefined

/**
 * Links the products a request created or updated to `additional_data.brand_id`
 * (null removes the brand). A brand that does not exist fails the hook, and
 * Medusa's workflow then rolls the product change back.
 */
async function linkProductsFromAdditionalData(
  products: { id: string }[],
  additionalData: BrandData,
  container: Parameters<typeof changeProductBrands>[0]
): Promise<StepResponse<ProductBrandState[], ProductBrandState[]>> {
  if (!additionalData || additionalData.brand_id === undefined) {
    return new StepResponse([], [])
  }
  const brandId = additionalData.brand_id
  if (brandId !== null) {
    await assertRecordsExist(container, {
      entity: "brand",
      ids: [brandId],
      field: "additional_data.brand_id",
    })
  }
  const before = await changeProductBrands(
    container,
    products.map((p) => ({ product_id: p.id, brand_id: brandId })),
    "additional_data.brand_id"
  )
  return new StepResponse(before, before)
}

createProductsWorkflow.hooks.productsCreated(
  ({ products, additional_data }, { container }) =>
    linkProductsFromAdditionalData(products, additional_data as BrandData, container),
  (before, { container }) => restoreProductBrands(container, before)
)

updateProductsWorkflow.hooks.productsUpdated(
  ({ products, additional_data }, { container }) =>
    linkProductsFromAdditionalData(products, additional_data as BrandData, container),
  (before, { container }) => restoreProductBrands(container, before)
)
