import { model } from "@medusajs/framework/utils"

/**
 * A brand groups products. Products link to it through the product-brand
 * module link; the Brand module itself knows nothing of products.
 */
export const Brand = model
  .define("brand", {
    id: model.id({ prefix: "brand" }).primaryKey(),
    // Translatable: the Translation Module keeps a brand's name and
    // description per locale (reference "brand"), as it does Medusa's own.
    name: model.text().searchable().translatable(),
    handle: model.text(),
    description: model.text().translatable().nullable(),
    metadata: model.json().nullable(),
  })
  .indexes([
    {
      // Handles are unique among live brands: a deleted brand frees its handle.
      name: "IDX_brand_handle_unique",
      on: ["handle"],
      unique: true,
      where: "deleted_at IS NULL",
    },
  ])

export default Brand
