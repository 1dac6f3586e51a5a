import type DataLoader from "dataloader"
import type { FieldNode, GraphQLResolveInfo } from "graphql"
import type { GraphQLContext } from "../context"
import type { Connection } from "./connection"
import { createBrandProductsLoader, type BrandProductsArgs } from "./brand-products"
import type { ProductRecord } from "./records"

export type Loaders = {
  /**
   * The loader that serves one Brand.products field of the document: all
   * brands that reach the same field with the same arguments share it, so the
   * plan runs once per page, not once per brand.
   */
  brandProducts(info: GraphQLResolveInfo, args: BrandProductsArgs): DataLoader<string, Connection<ProductRecord>>
}

export function createLoaders(ctx: Omit<GraphQLContext, "loaders">): Loaders {
  const byField = new WeakMap<FieldNode, Map<string, DataLoader<string, Connection<ProductRecord>>>>()
  return {
    brandProducts(info, args) {
      const node = info.fieldNodes[0]
      const key = JSON.stringify(args)
      let loaders = byField.get(node)
      if (!loaders) byField.set(node, (loaders = new Map()))
      let loader = loaders.get(key)
      if (!loader) loaders.set(key, (loader = createBrandProductsLoader(ctx, info, args)))
      return loader
    },
  }
}
