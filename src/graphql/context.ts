import type { MedusaContainer, RemoteQueryFunction } from "@medusajs/framework/types"
import type { Knex } from "@medusajs/framework/mikro-orm/knex"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { invalidCredentials } from "./errors"
import { createLoaders, type Loaders } from "./planning/loaders"
import type { ReadCacheSettings } from "./planning/read-cache"

/** Who is asking: an admin (user session, bearer token or secret API key) or nobody. */
export type Actor = { kind: "admin"; id: string; via: "user" | "api-key" } | { kind: "anonymous" }

export type GraphQLContext = {
  scope: MedusaContainer
  query: Omit<RemoteQueryFunction, symbol>
  db: Knex
  actor: Actor
  /** Anonymous callers see published products only. */
  isAdmin: boolean
  /** Whether and how long query reads are cached. */
  readCache: ReadCacheSettings
  loaders: Loaders
}

export type ServerContext = { req: AuthenticatedMedusaRequest; res: MedusaResponse }

/** `Cache-Control: no-cache` (or `no-store`, or `Pragma: no-cache`): read past the cache. */
function asksForFreshRead(req: AuthenticatedMedusaRequest): boolean {
  const cacheControl = String(req.headers["cache-control"] ?? "")
  return /\bno-(cache|store)\b/i.test(cacheControl) || /\bno-cache\b/i.test(String(req.headers.pragma ?? ""))
}

/** Builds the per-request context from Medusa's request scope and auth. */
export function createContext({ req }: ServerContext, settings: { readCache: ReadCacheSettings }): GraphQLContext {
  const scope = req.scope
  const auth = req.auth_context
  const actor: Actor =
    auth?.actor_id && (auth.actor_type === "user" || auth.actor_type === "api-key")
      ? { kind: "admin", id: auth.actor_id, via: auth.actor_type }
      : { kind: "anonymous" }
  // Credentials that do not check out are refused, rather than quietly read
  // as an anonymous caller who would then see less than expected.
  if (actor.kind === "anonymous" && req.headers.authorization) throw invalidCredentials()
  const context: Omit<GraphQLContext, "loaders"> = {
    scope,
    query: scope.resolve(ContainerRegistrationKeys.QUERY),
    db: scope.resolve(ContainerRegistrationKeys.PG_CONNECTION),
    actor,
    isAdmin: actor.kind === "admin",
    // Only an admin may read past the cache: for anyone else it would be a
    // way to make every request cost a full read.
    readCache: {
      ...settings.readCache,
      enabled: settings.readCache.enabled && !(actor.kind === "admin" && asksForFreshRead(req)),
    },
  }
  return { ...context, loaders: createLoaders(context) }
}
