import type { GraphQLResolveInfo } from "graphql"
import { anyForSale, needsStock, quantityAvailable, variantForSale } from "../../catalog/stock"
import { variantsWithValue, variantWithOptions } from "../../catalog/variant-selection"
import type { Resolvers } from "../__generated__/resolvers-types"
import type { GraphQLContext } from "../context"

// The product page: stock in the caller's sales channels and choosing a
// variant by its options. The product's query.graph call loads the variants
// with their stock fields and options (see productProjection); the units
// available come from one look-up per answer (loaders.variantAvailability).

/** The availability of each variant id, through the answer's loader. */
function availabilityOf(ctx: GraphQLContext, info: GraphQLResolveInfo) {
  const loader = ctx.loaders.variantAvailability(info)
  return (ids: string[]) => Promise.all(ids.map((id) => loader.load(id)))
}

export const productPageResolvers: Resolvers = {
  Product: {
    availableForSale: (product, _, ctx, info) => anyForSale(product.variants ?? [], availabilityOf(ctx, info)),
    variantBySelectedOptions: (product, { selectedOptions }) => variantWithOptions(product.variants ?? [], selectedOptions),
  },
  ProductVariant: {
    availableForSale: async (variant, _, ctx, info) =>
      !needsStock(variant) || variantForSale(variant, await ctx.loaders.variantAvailability(info).load(variant.id)),
    quantityAvailable: async (variant, _, ctx, info) =>
      variant.manage_inventory ? quantityAvailable(variant, await ctx.loaders.variantAvailability(info).load(variant.id)) : null,
  },
  ProductOption: {
    valueAvailability: (option, _, ctx, info) => {
      const load = availabilityOf(ctx, info)
      const variants = option.product_variants ?? []
      return Promise.all(
        (option.values ?? []).map(async ({ value }) => ({
          value,
          availableForSale: await anyForSale(variantsWithValue(variants, option.id, value), load),
        }))
      )
    },
  },
}
