import type DataLoader from "dataloader"
import type { FieldNode, GraphQLResolveInfo } from "graphql"
import type { GraphQLContext } from "../context"
import type { Connection } from "./connection"
import { createBrandProductsLoader, type BrandProductsArgs } from "./brand-products"
import type { ProductRecord } from "./records"

export type Loaders = {
  /**
   * The loader that serves one Brand.products field of the document: all
   * brands that reach the same field (the same merged field nodes) with the
   * same arguments share it, so the plan runs once per page, not once per
   * brand.
   */
  brandProducts(info: GraphQLResolveInfo, args: BrandProductsArgs): DataLoader<string, Connection<ProductRecord>>
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
  return {
    brandProducts(info, args) {
      const key = `${info.fieldNodes.map(idOf).join(",")} ${JSON.stringify(args)}`
      let loader = loaders.get(key)
      if (!loader) loaders.set(key, (loader = createBrandProductsLoader(ctx, info, args)))
      return loader
    },
  }
}
