import { makeExecutableSchema } from "@graphql-tools/schema"
import { mergeResolvers } from "@graphql-tools/merge"
import { DateTimeResolver, JSONResolver } from "graphql-scalars"
import type { Resolvers } from "./__generated__/resolvers-types"
import { typeDefs } from "./__generated__/type-defs"
import { brandMutations } from "./brand/mutations"
import { brandResolvers } from "./brand/resolvers"
import { catalogResolvers } from "./catalog/resolvers"
import { nodeResolvers } from "./node/resolvers"
import { productImageResolvers } from "./product/image-resolvers"
import { productMutations } from "./product/mutations"
import { productPageResolvers } from "./product/page-resolvers"
import { productResolvers } from "./product/resolvers"
import { searchResolvers } from "./search/resolvers"
import { subscriptionResolvers } from "./subscription/resolvers"

const scalarResolvers: Resolvers = { DateTime: DateTimeResolver, JSON: JSONResolver }

/** The executable schema: SDL from schema/ (via codegen) and the resolvers per domain. */
export function buildSchema() {
  return makeExecutableSchema({
    typeDefs,
    resolvers: mergeResolvers([
      scalarResolvers,
      nodeResolvers,
      brandResolvers,
      brandMutations,
      productResolvers,
      productMutations,
      productPageResolvers,
      productImageResolvers,
      catalogResolvers,
      searchResolvers,
      subscriptionResolvers,
    ]) as any,
  })
}
