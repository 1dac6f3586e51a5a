import { readBrandPage, readBrands } from "../../catalog/brands"
import { containsNul } from "../../lib/nul"
import type { Resolvers } from "../__generated__/resolvers-types"
import { badUserInput } from "../errors"
import { brandProjection } from "../planning/entities"
import { readContextOf } from "../planning/read-context"
import { connectionSelection, subSelection } from "../planning/selection"

export const brandResolvers: Resolvers = {
  Query: {
    brand: async (_, { id, handle }, ctx, info) => {
      if (id == null && handle == null) throw badUserInput('Give "id" or "handle".')
      // No record has a NUL character in its id or handle, and SQL would fail on it.
      if (containsNul([id, handle])) return null
      const projection = brandProjection(subSelection(info, info.fieldNodes, "Brand"))
      const [brand] = await readBrands(readContextOf(ctx, info), projection, {
        ids: id != null ? [id] : undefined,
        handle: handle ?? undefined,
      })
      return brand ?? null
    },
    brands: (_, args, ctx, info) => {
      const selection = connectionSelection(info, info.fieldNodes, "Brand")
      return readBrandPage(readContextOf(ctx, info), brandProjection(selection.node), args, {
        totalCount: selection.totalCount,
      })
    },
  },
  Brand: {
    createdAt: (brand) => brand.created_at!,
    updatedAt: (brand) => brand.updated_at!,
    products: (brand, args, ctx, info) => ctx.loaders.brandProducts(info, args).load(brand.id),
  },
}
