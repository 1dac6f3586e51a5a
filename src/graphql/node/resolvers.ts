import type { Resolvers } from "../__generated__/resolvers-types"
import { PRODUCT, specForId, type EntitySpec } from "../planning/entities"
import { assertListSize, productFilters } from "../planning/filters"
import { readRecords } from "../planning/read"
import type { BrandRecord, ProductRecord } from "../planning/records"
import type { GraphQLContext } from "../context"
import type { GraphQLResolveInfo } from "graphql"

type AnyRecord = BrandRecord | ProductRecord

/** Reads the given ids of one type (one query.graph call), visibility applied. */
async function readNodes(
  ctx: GraphQLContext,
  info: GraphQLResolveInfo,
  spec: EntitySpec,
  ids: string[]
): Promise<AnyRecord[]> {
  const visibility = spec === PRODUCT ? productFilters(ctx, null) : []
  return readRecords<AnyRecord>(ctx, info, info.fieldNodes, spec, [{ id: { $in: ids } }, ...visibility])
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
