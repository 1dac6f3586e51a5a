import type { GraphQLResolveInfo } from "graphql"
import type { ReadContext } from "../../catalog/read-context"
import type { GraphQLContext } from "../context"
import { localeOf } from "./locale"

/**
 * The catalog's read context for one field: the operation's locale (from
 * @inContext), and its cache. Mutations never read from a cache: their
 * payload must show what they just wrote, even before the change's events
 * have been handled.
 */
export function readContextOf(ctx: GraphQLContext, info: GraphQLResolveInfo): ReadContext {
  const locale = localeOf(info)
  const withLocale: ReadContext = locale ? { ...ctx, locale } : ctx
  if (info.operation.operation === "query" || !ctx.readCache.enabled) return withLocale
  return { ...withLocale, readCache: { ...ctx.readCache, enabled: false } }
}
