import type { GraphQLResolveInfo } from "graphql"
import { readBrands } from "../../catalog/brands"
import { assertListSize } from "../../catalog/filters"
import { readProducts } from "../../catalog/products"
import type { BrandRecord, ProductRecord } from "../../catalog/records"
import type { Resolvers } from "../__generated__/resolvers-types"
import type { GraphQLContext } from "../context"
import { brandProjection, PRODUCT, productProjection, specForId, type EntitySpec } from "../planning/entities"
import { readContextOf } from "../planning/read-context"
import { subSelection } from "../planning/selection"

type AnyRecord = BrandRecord | ProductRecord

/** Reads the given ids of one type (one query.graph call), visibility applied. */
async function readNodes(ctx: GraphQLContext, info: GraphQLResolveInfo, spec: EntitySpec, ids: string[]): Promise<AnyRecord[]> {
  const selection = subSelection(info, info.fieldNodes, spec.typename)
  const read = readContextOf(ctx, info)
  return spec === PRODUCT
    ? readProducts(read, await productProjection(ctx, info, selection), { ids })
    : readBrands(read, brandProjection(selection), { ids })
}

export const nodeResolvers: Resolvers = {
  Query: {
    node: async (_, { id }, ctx, info) => {
      const spec = specForId(id)
      if (!spec) return null
      const [record] = await readNodes(ctx, info, spec, [id])
      return record ?? null
    },
    nodes: async (_, { ids }, ctx, info) => {
      assertListSize(ids, "ids")
      const bySpec = new Map<EntitySpec, string[]>()
      for (const id of ids) {
        const spec = specForId(id)
        if (spec) bySpec.set(spec, [...(bySpec.get(spec) ?? []), id])
      }
      const found = new Map<string, AnyRecord>()
      await Promise.all(
        [...bySpec].map(async ([spec, specIds]) => {
          for (const r of await readNodes(ctx, info, spec, specIds)) found.set(r.id, r)
        })
      )
      return ids.map((id) => found.get(id) ?? null)
    },
  },
  Node: {
    __resolveType: (record) => specForId(record.id)?.typename ?? null,
  },
}
