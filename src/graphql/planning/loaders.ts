import DataLoader from "dataloader"
import type { FieldNode, GraphQLResolveInfo } from "graphql"
import { readBrandProducts, type BrandProductsRequest } from "../../catalog/brand-products"
import type { Connection } from "../../catalog/page"
import type { ProductRecord } from "../../catalog/records"
import { readVariantAvailability } from "../../catalog/stock"
import type { GraphQLContext } from "../context"
import { productProjection } from "./entities"
import { readContextOf } from "./read-context"
import { connectionSelection } from "./selection"

export type Loaders = {
  /**
   * The loader that serves one Brand.products field of the document: all
   * brands that reach the same field (the same merged field nodes) with the
   * same arguments share it, so the plan runs once per page, not once per
   * brand.
   */
  brandProducts(info: GraphQLResolveInfo, args: BrandProductsRequest): DataLoader<string, Connection<ProductRecord>>
  /**
   * Units available of a variant for the caller (null: no inventory items),
   * by variant id: every variant of the answer in one look-up.
   */
  variantAvailability(info: GraphQLResolveInfo): DataLoader<string, number | null>
}

export function createLoaders(ctx: Omit<GraphQLContext, "loaders">): Loaders {
  // A field node reached from two places (a fragment spread in both) can be
  // merged with different sibling nodes in each: the key holds every node.
  const nodeIds = new Map<FieldNode, number>()
  const idOf = (node: FieldNode) => {
    let id = nodeIds.get(node)
    if (id === undefined) nodeIds.set(node, (id = nodeIds.size))
    return id
  }
  const loaders = new Map<string, DataLoader<string, Connection<ProductRecord>>>()
  // A query's and a mutation's reads differ in their cache (readContextOf).
  const stock = new Map<string, DataLoader<string, number | null>>()
  return {
    variantAvailability(info) {
      const kind = info.operation.operation
      let loader = stock.get(kind)
      if (!loader) {
        const readContext = readContextOf({ ...ctx, loaders: this } as GraphQLContext, info)
        loader = new DataLoader(async (variantIds) => {
          const found = await readVariantAvailability(readContext, variantIds)
          return variantIds.map((id) => found.get(id) ?? null)
        })
        stock.set(kind, loader)
      }
      return loader
    },
    brandProducts(info, args) {
      const key = `${info.fieldNodes.map(idOf).join(",")} ${JSON.stringify(args)}`
      let loader = loaders.get(key)
      if (!loader) {
        loader = new DataLoader(async (brandIds) => {
          const full = { ...ctx, loaders: this } as GraphQLContext
          const selection = connectionSelection(info, info.fieldNodes, "Product")
          return readBrandProducts(
            readContextOf(full, info),
            await productProjection(full, info, selection.node),
            brandIds,
            args,
            { totalCount: selection.totalCount }
          )
        })
        loaders.set(key, loader)
      }
      return loader
    },
  }
}
