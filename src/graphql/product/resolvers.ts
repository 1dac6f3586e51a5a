import { readProductPage, readProducts } from "../../catalog/products"
import { containsNul } from "../../lib/nul"
import type { Resolvers } from "../__generated__/resolvers-types"
import { badUserInput } from "../errors"
import { productProjection } from "../planning/entities"
import { readContextOf } from "../planning/read-context"
import { connectionSelection, subSelection } from "../planning/selection"

export const productResolvers: Resolvers = {
  Query: {
    product: async (_, { id, handle }, ctx, info) => {
      if (id == null && handle == null) throw badUserInput('Give "id" or "handle".')
      // No record has a NUL character in its id or handle, and SQL would fail on it.
      if (containsNul([id, handle])) return null
      const projection = await productProjection(ctx, info, subSelection(info, info.fieldNodes, "Product"))
      const [product] = await readProducts(readContextOf(ctx, info), projection, {
        ids: id != null ? [id] : undefined,
        handle: handle ?? undefined,
      })
      return product ?? null
    },
    products: async (_, args, ctx, info) => {
      const selection = connectionSelection(info, info.fieldNodes, "Product")
      return readProductPage(readContextOf(ctx, info), await productProjection(ctx, info, selection.node), args, {
        totalCount: selection.totalCount,
      })
    },
  },
  // Medusa keeps statuses in lower case.
  ProductStatus: {
    DRAFT: "draft",
    PROPOSED: "proposed",
    PUBLISHED: "published",
    REJECTED: "rejected",
  },
  Product: {
    createdAt: (product) => product.created_at!,
    updatedAt: (product) => product.updated_at!,
    brand: (product) => product.brand ?? null,
  },
}
