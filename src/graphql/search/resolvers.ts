import { getArgumentValues } from "@graphql-tools/utils"
import type { FieldNode, GraphQLResolveInfo } from "graphql"
import { predictiveSearch } from "../../catalog/predictive-search"
import { searchProducts } from "../../catalog/search"
import { badUserInput } from "../errors"
import { pricingContext } from "../planning/pricing"
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
          prices: facets.has("prices")
            ? {
                currency: (await pricingContext(ctx, info))?.currency_code ?? null,
                bounds: priceBounds(info, facets.get("prices")!),
              }
            : null,
        }
      )
    },

    predictiveSearch: async (_, args, ctx, info) => {
      const result = subSelection(info, info.fieldNodes, "PredictiveSearchResult")
      return predictiveSearch(
        { ...readContextOf(ctx, info), scope: ctx.scope },
        { query: args.query, limit: args.limit },
        {
          queries: result.has("queries"),
          products: result.has("products")
            ? await productProjection(ctx, info, subSelection(info, result.get("products"), "Product"))
            : null,
          brands: result.has("brands") ? brandProjection(subSelection(info, result.get("brands"), "Brand")) : null,
          categories: result.has("categories") ? categoryProjection(ctx, info, result.get("categories")) : null,
          categoriesVisibleOnly: !ctx.isAdmin,
        }
      )
    },
  },
}

/** The bounds the price facet asks for; one set per search, however many aliases ask. */
function priceBounds(info: GraphQLResolveInfo, nodes: FieldNode[]): string[] {
  const field = info.schema.getType("ProductSearchFacets") as any
  const definition = field.getFields().prices
  const asked = nodes.map((node) => (getArgumentValues(definition, node, info.variableValues).bounds ?? []) as string[])
  if (new Set(asked.map((b) => b.join(","))).size > 1) {
    throw badUserInput("Ask for one set of price bounds per search: every `prices` facet here must have the same bounds.", "bounds")
  }
  return asked[0]
}
