import type { GraphQLContext } from "./context"
import { unauthenticated } from "./errors"

/** Writes need an authenticated admin; anything else is a top-level UNAUTHENTICATED error. */
export function requireAdmin(ctx: GraphQLContext): void {
  if (!ctx.isAdmin) throw unauthenticated()
}
