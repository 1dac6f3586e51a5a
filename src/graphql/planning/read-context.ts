import type { GraphQLResolveInfo } from "graphql"
import type { ReadContext } from "../../catalog/read-context"
import type { GraphQLContext } from "../context"

/**
 * The catalog's read context for one field. Mutations never read from a
 * cache: their payload must show what they just wrote, even before the
 * change's events have been handled.
 */
export function readContextOf(ctx: GraphQLContext, info: GraphQLResolveInfo): ReadContext {
  if (info.operation.operation === "query" || !ctx.readCache.enabled) return ctx
  return { ...ctx, readCache: { ...ctx.readCache, enabled: false } }
}
