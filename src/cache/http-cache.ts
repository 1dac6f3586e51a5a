import { createHash } from "node:crypto"
import type { ExecutionResult } from "graphql"
import type { loadAppConfig } from "../lib/config"

export type HttpCacheSettings = ReturnType<typeof loadAppConfig>["httpCache"]

/** What every answer a shared cache may not keep says. */
export const PRIVATE = "private, no-store"

/**
 * The request headers an answer depends on, which shared caches must key on:
 * the publishable key (what the caller may see), Origin (CORS headers, and
 * whether admin credentials count), Accept (JSON of either media type, or the
 * playground page), and the credentials (an admin sees more; answers to them
 * are private, and a cache that ignores that still keys on them).
 */
export const VARY = ["Accept", "Origin", "x-publishable-api-key", "Authorization", "Cookie"]

/**
 * Whether a request may get a public answer, as far as its shape tells: a GET
 * (a persisted document by id, or a query in the URL) with no cookie and no
 * Authorization. The answer must also be a storefront's, made through the
 * answer cache, without errors (see response-cache-plugin.ts).
 */
export function mayBePublic(request: Request, settings: HttpCacheSettings): boolean {
  return (
    settings.maxAgeSeconds > 0 &&
    request.method === "GET" &&
    !request.headers.has("cookie") &&
    !request.headers.has("authorization")
  )
}

/**
 * A public answer, as every caller of its key gets it: without the rate
 * limit's `throttleStatus`, which is one client's budget and would be handed
 * to the next (a shared cache's hits spend none).
 */
export function sharedResult(result: ExecutionResult): ExecutionResult {
  const cost = result.extensions?.cost as Record<string, unknown> | undefined
  if (!cost || !("throttleStatus" in cost)) return result
  const { throttleStatus: _budget, ...shared } = cost
  return { ...result, extensions: { ...result.extensions, cost: shared } }
}

/**
 * The response with what shared caches need: a public answer (`keys` given,
 * status 200) gets Cache-Control `public` with s-maxage and
 * stale-while-revalidate, a strong ETag of its bytes (304 when the request's
 * If-None-Match holds it) and its surrogate keys (`xkey` for Varnish,
 * `Surrogate-Key` for Fastly-style CDNs); any other `private, no-store`.
 */
export async function withCacheHeaders(
  request: Request,
  response: Response,
  keys: string[] | null,
  settings: HttpCacheSettings,
  fetchAPI: { Response: typeof Response; Headers: typeof Headers }
): Promise<Response> {
  if (!keys || response.status !== 200) {
    response.headers.set("cache-control", PRIVATE)
    return response
  }
  const body = await response.text()
  const headers = new fetchAPI.Headers(response.headers)
  // Strong: the same bytes of the same media type, and nothing else, have this tag.
  const etag = `"${createHash("sha256")
    .update(`${headers.get("content-type") ?? ""}\n`)
    .update(body)
    .digest("base64url")
    .slice(0, 27)}"`
  headers.set(
    "cache-control",
    `public, max-age=0, s-maxage=${settings.maxAgeSeconds}, stale-while-revalidate=${settings.staleWhileRevalidateSeconds}`
  )
  headers.set("etag", etag)
  headers.set("xkey", keys.join(" "))
  headers.set("surrogate-key", keys.join(" "))
  if (holds(request.headers.get("if-none-match"), etag)) {
    headers.delete("content-length")
    return new fetchAPI.Response(null, { status: 304, headers })
  }
  return new fetchAPI.Response(body, { status: 200, headers })
}

/**
 * Whether If-None-Match names `etag` (weak comparison, as RFC 9110 says for
 * it), or is `*`. Evaluated whatever the request's Cache-Control says: fetch()
 * sends `no-cache` beside any If-None-Match it is given.
 */
function holds(ifNoneMatch: string | null, etag: string): boolean {
  if (!ifNoneMatch) return false
  if (ifNoneMatch.trim() === "*") return true
  const opaque = (tag: string) => tag.trim().replace(/^W\//, "")
  return ifNoneMatch.split(",").some((tag) => opaque(tag) === opaque(etag))
}
