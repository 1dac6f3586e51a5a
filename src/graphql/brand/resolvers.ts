import type { Resolvers } from "../__generated__/resolvers-types"
import { badUserInput } from "../errors"
import { BRAND } from "../planning/entities"
import { containsNul } from "../../lib/nul"
import { brandFilters } from "../planning/filters"
import { readConnection, readRecords } from "../planning/read"
import type { BrandRecord } from "../planning/records"

export const brandResolvers: Resolvers = {
  Query: {
    brand: async (_, { id, handle }, ctx, info) => {
      if (id == null && handle == null) throw badUserInput('Give "id" or "handle".')
      // No record has a NUL character in its id or handle, and SQL would fail on it.
      if (containsNul([id, handle])) return null
      const conditions = [...(id != null ? [{ id }] : []), ...(handle != null ? [{ handle }] : [])]
      const [brand] = await readRecords<BrandRecord>(ctx, info, info.fieldNodes, BRAND, conditions)
      return brand ?? null
    },
    brands: (_, args, ctx, info) =>
      readConnection<BrandRecord>(ctx, info, BRAND, args, brandFilters(args.filter)),
  },
  Brand: {
    createdAt: (brand) => brand.created_at!,
    updatedAt: (brand) => brand.updated_at!,
    products: (brand, args, ctx, info) => ctx.loaders.brandProducts(info, args).load(brand.id),
  },
}
