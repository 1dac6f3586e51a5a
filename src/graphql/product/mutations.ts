import type { GraphQLResolveInfo } from "graphql"
import type { Resolvers } from "../__generated__/resolvers-types"
import { requireAdmin } from "../auth"
import type { GraphQLContext } from "../context"
import { readProducts } from "../../catalog/products"
import type { ProductRecord } from "../../catalog/records"
import { productProjection } from "../planning/entities"
import { readContextOf } from "../planning/read-context"
import { subSelection } from "../planning/selection"
import { toUserErrors } from "../user-errors"
import { setProductBrandWorkflow } from "../../workflows/set-product-brand"
import { unsetProductBrandWorkflow } from "../../workflows/unset-product-brand"

/** Reads the product a mutation changed, with what the payload's `product` selects. */
async function payloadProduct(ctx: GraphQLContext, info: GraphQLResolveInfo, id: string) {
  const fieldNodes = subSelection(info, info.fieldNodes, "ProductBrandPayload").get("product")
  if (!fieldNodes) return { id } as ProductRecord
  const projection = await productProjection(ctx, info, subSelection(info, fieldNodes, "Product"))
  const [product] = await readProducts(readContextOf(ctx, info), projection, { ids: [id] })
  return product ?? null
}

export const productMutations: Resolvers = {
  Mutation: {
    productSetBrand: async (_, { productId, brandId }, ctx, info) => {
      requireAdmin(ctx)
      const { errors } = await setProductBrandWorkflow(ctx.scope).run({
        input: { product_id: productId, brand_id: brandId },
        throwOnError: false,
      })
      if (errors?.length) {
        return { product: null, userErrors: toUserErrors(errors, (f) => [f ?? "productId"]) }
      }
      return { product: await payloadProduct(ctx, info, productId), userErrors: [] }
    },

    productUnsetBrand: async (_, { productId }, ctx, info) => {
      requireAdmin(ctx)
      const { errors } = await unsetProductBrandWorkflow(ctx.scope).run({
        input: { product_id: productId },
        throwOnError: false,
      })
      if (errors?.length) {
        return { product: null, userErrors: toUserErrors(errors, () => ["productId"]) }
      }
      return { product: await payloadProduct(ctx, info, productId), userErrors: [] }
    },
  },
}
