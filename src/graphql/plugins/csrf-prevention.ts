import { createGraphQLError, type Plugin } from "graphql-yoga"

/**
 * Content types a browser sends cross-site without a CORS preflight (an HTML
 * form can send each of them, with the victim's cookies). No content type at
 * all is just as simple.
 */
const SIMPLE_CONTENT_TYPES = ["application/x-www-form-urlencoded", "multipart/form-data", "text/plain"]

/**
 * Headers a cross-site page cannot set without a CORS preflight, which only
 * the configured origins pass. One of them on a GET shows the request did not
 * come from a plain link, image or form on another site.
 */
export const CSRF_HEADERS = [
  "x-graphql-csrf",
  "x-graphql-yoga-csrf",
  "apollo-require-preflight",
  "graphql-require-preflight",
  "x-apollo-operation-name",
  "x-publishable-api-key",
  "authorization",
] as const

/** The header the error message asks for. */
const SUGGESTED_HEADER = "x-graphql-csrf: 1"

/** The media type without parameters, lower-cased (null when absent or blank). */
function mediaTypeOf(request: Request): string | null {
  const essence = request.headers.get("content-type")?.split(";")[0].trim().toLowerCase()
  return essence || null
}

const isSimpleContentType = (mediaType: string | null) =>
  mediaType === null || SIMPLE_CONTENT_TYPES.includes(mediaType)

/**
 * Refuses what another site could make a logged-in browser send (cross-site
 * request forgery): Medusa's session cookie goes along with requests from
 * other ports of the same host, and with top-level form posts. Runs before the
 * body is parsed, so a refused request never reaches a resolver.
 *
 * - a POST must be `application/json` (or another type that needs a
 *   preflight): forms' types and a missing type answer 415;
 * - any other request (a GET) must carry one of CSRF_HEADERS, or a content
 *   type that needs a preflight: otherwise 403.
 *
 * The GraphiQL page and CORS preflights are answered earlier (onRequest), so
 * they are not affected.
 */
export function csrfPrevention(): Plugin {
  return {
    onRequestParse({ request }) {
      const mediaType = mediaTypeOf(request)
      if (request.method.toUpperCase() === "POST") {
        if (!isSimpleContentType(mediaType)) return
        throw createGraphQLError(
          `Unsupported content type "${mediaType ?? "none"}": send the request as "application/json".`,
          { extensions: { code: "UNSUPPORTED_CONTENT_TYPE", http: { status: 415 } } }
        )
      }
      if (!isSimpleContentType(mediaType)) return
      if (CSRF_HEADERS.some((name) => request.headers.has(name))) return
      throw createGraphQLError(
        `Requests other than a JSON POST must carry a header that shows they are not a cross-site forgery: send "${SUGGESTED_HEADER}".`,
        { extensions: { code: "CSRF_HEADER_REQUIRED", http: { status: 403 } } }
      )
    },
  }
}
