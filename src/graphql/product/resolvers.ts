import type { Resolvers } from "../__generated__/resolvers-types"
import { badUserInput } from "../errors"
import { PRODUCT } from "../planning/entities"
import { containsNul } from "../../lib/nul"
import { asksForUnbranded, productFilters } from "../planning/filters"
import { readConnection, readRecords } from "../planning/read"
import type { ProductRecord } from "../planning/records"
import { readProductsWithoutBrand } from "../planning/unbranded-products"

export const productResolvers: Resolvers = {
  Query: {
    product: async (_, { id, handle }, ctx, info) => {
      if (id == null && handle == null) throw badUserInput('Give "id" or "handle".')
      // No record has a NUL character in its id or handle, and SQL would fail on it.
      if (containsNul([id, handle])) return null
      const conditions = [
        ...(id != null ? [{ id }] : []),
        ...(handle != null ? [{ handle }] : []),
        ...productFilters(ctx, null),
      ]
      const [product] = await readRecords<ProductRecord>(ctx, info, info.fieldNodes, PRODUCT, conditions)
      return product ?? null
    },
    products: (_, args, ctx, info) =>
      asksForUnbranded(args.filter)
        ? readProductsWithoutBrand(ctx, info, args)
        : readConnection<ProductRecord>(ctx, info, PRODUCT, args, productFilters(ctx, args.filter)),
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
