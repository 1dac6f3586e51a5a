import { searchProducts } from "../../catalog/search"
import type { Resolvers } from "../__generated__/resolvers-types"
import { brandProjection, categoryProjection, productProjection } from "../planning/entities"
import { readContextOf } from "../planning/read-context"
import { subSelection } from "../planning/selection"

export const searchResolvers: Resolvers = {
  Query: {
    searchProducts: async (_, args, ctx, info) => {
      const result = subSelection(info, info.fieldNodes, "ProductSearchResult")
      const edges = subSelection(info, result.get("edges"), "ProductEdge")
      const nodeFields = [...(result.get("nodes") ?? []), ...(edges.get("node") ?? [])]
      const facets = subSelection(info, result.get("facets"), "ProductSearchFacets")
      const brandFacet = subSelection(info, facets.get("brands"), "BrandFacet")
      const categoryFacet = subSelection(info, facets.get("categories"), "CategoryFacet")
      const wantsBrands = facets.has("brands")
      const wantsCategories = facets.has("categories")

      return searchProducts(
        { ...readContextOf(ctx, info), scope: ctx.scope },
        {
          query: args.query,
          filter: args.filter ?? null,
          orderBy: args.orderBy ?? null,
          first: args.first,
          after: args.after,
          last: args.last,
          before: args.before,
        },
        {
          products: nodeFields.length
            ? await productProjection(ctx, info, subSelection(info, nodeFields, "Product"))
            : null,
          // Brands and categories are read whenever their facet is asked for:
          // a facet row is shown only for a record the caller can read.
          brands: wantsBrands ? brandProjection(subSelection(info, brandFacet.get("brand"), "Brand")) : null,
          categories: wantsCategories ? categoryProjection(ctx, info, categoryFacet.get("category")) : null,
          categoriesVisibleOnly: !ctx.isAdmin,
        }
      )
    },
  },
}
