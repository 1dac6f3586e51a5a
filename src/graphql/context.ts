import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ADMIN } from "../catalog/caller"
import type { ReadCacheSettings } from "../catalog/read-cache"
import type { ReadContext } from "../catalog/read-context"
import { storefrontAccess } from "../catalog/storefront"
import { cachedCaller } from "../cache/cached-caller"
import type { ResponseCacheRuntime } from "../cache/runtime"
import { adminCorsOf, adminOriginRequired, fromAdminOrigin } from "./admin-origin"
import { invalidCredentials } from "./errors"
import { createLoaders, type Loaders } from "./planning/loaders"

/** Who is asking: an admin (user session, bearer token or secret API key) or nobody. */
export type Actor = { kind: "admin"; id: string; via: "user" | "api-key" } | { kind: "anonymous" }

/** Medusa's header for publishable API keys, as its store routes read it. */
export const PUBLISHABLE_KEY_HEADER = "x-publishable-api-key"

/** The catalog's read context (query, db, caller, cache), and what GraphQL adds. */
export type GraphQLContext = ReadContext & {
  scope: MedusaContainer
  actor: Actor
  /** Admins see everything and may write; anyone else reads as the storefront of a publishable key. */
  isAdmin: boolean
  /** The publishable key the caller sent, if any: a subscription checks it again while it lasts. */
  publishableKey?: string
  loaders: Loaders
}

export type ServerContext = { req: AuthenticatedMedusaRequest; res: MedusaResponse }

/** `Cache-Control: no-cache` (or `no-store`, or `Pragma: no-cache`): read past the cache. */
export function asksForFreshRead(req: AuthenticatedMedusaRequest): boolean {
  const cacheControl = String(req.headers["cache-control"] ?? "")
  return /\bno-(cache|store)\b/i.test(cacheControl) || /\bno-cache\b/i.test(String(req.headers.pragma ?? ""))
}

/** Who a request is from, by the credentials Medusa's auth middleware accepted (src/api/middlewares.ts). */
export function actorOf(req: AuthenticatedMedusaRequest): Actor {
  const auth = req.auth_context
  return auth?.actor_id && (auth.actor_type === "user" || auth.actor_type === "api-key")
    ? { kind: "admin", id: auth.actor_id, via: auth.actor_type }
    : { kind: "anonymous" }
}

/** Builds the per-request context from Medusa's request scope, auth and publishable key. */
export async function createContext(
  { req }: ServerContext,
  settings: { readCache: ReadCacheSettings; answers: ResponseCacheRuntime | null }
): Promise<GraphQLContext> {
  const scope = req.scope
  const actor = actorOf(req)
  // Credentials that do not check out are refused, rather than quietly read
  // as an anonymous caller who would then see less than expected; so are
  // those sent from a page of another origin than an admin's, which are not
  // read at all (a cookie is not refused: the browser sends it unasked).
  if (actor.kind === "anonymous" && req.headers.authorization) {
    throw fromAdminOrigin(req, adminCorsOf(scope)) ? invalidCredentials() : adminOriginRequired()
  }
  const query = scope.resolve(ContainerRegistrationKeys.QUERY)
  // Only an admin may read past the cache: for anyone else it would be a
  // way to make every request cost a full read.
  const freshRead = actor.kind === "admin" && asksForFreshRead(req)
  const readCache = { ...settings.readCache, enabled: settings.readCache.enabled && !freshRead }
  const key = req.headers[PUBLISHABLE_KEY_HEADER]
  const token = typeof key === "string" ? key : undefined
  const access = () => storefrontAccess(query, token, readCache)
  const caller =
    actor.kind === "admin" ? ADMIN : token ? await cachedCaller(settings.answers, token, access) : (await access()).caller
  const context: Omit<GraphQLContext, "loaders"> = {
    scope,
    query,
    db: scope.resolve(ContainerRegistrationKeys.PG_CONNECTION),
    caller,
    actor,
    isAdmin: actor.kind === "admin",
    publishableKey: token,
    readCache,
  }
  return { ...context, loaders: createLoaders(context) }
}
