import { ContainerRegistrationKeys, parseCorsOrigins } from "@medusajs/framework/utils"
import { GraphQLError } from "graphql"

type RequestLike = { headers: Record<string, string | string[] | undefined> }

const parsed = new Map<string, (string | RegExp)[]>()

/**
 * Whether a request may use admin credentials (a session cookie, a bearer
 * token, a secret API key), by where it comes from: a browser page of an
 * admin origin (Medusa's `http.adminCors`, ADMIN_CORS), a page of this
 * server itself (the playground), or no browser page at all (no Origin:
 * servers, scripts, curl). A browser sends the admin's session cookie along
 * from any page of the same site, the storefront's included; only these
 * origins are where an admin's own tools run.
 */
export function fromAdminOrigin(req: RequestLike, adminCors: string): boolean {
  const origin = req.headers.origin
  if (origin === undefined) return true
  if (typeof origin !== "string") return false
  let origins = parsed.get(adminCors)
  if (!origins) parsed.set(adminCors, (origins = parseCorsOrigins(adminCors).map((o) => (typeof o === "string" ? o.trim() : o))))
  if (origins.some((o) => (typeof o === "string" ? o === "*" || o === origin : o.test(origin)))) return true
  // The server's own pages: Host is what the browser asked for, Origin where the page came from.
  try {
    return new URL(origin).host === req.headers.host
  } catch {
    return false
  }
}

/** Medusa's admin origins, as the server was configured (`http.adminCors`). */
export function adminCorsOf(scope: { resolve: (key: string) => unknown }): string {
  const config = scope.resolve(ContainerRegistrationKeys.CONFIG_MODULE) as { projectConfig?: { http?: { adminCors?: string } } }
  return config.projectConfig?.http?.adminCors ?? ""
}

/** Admin credentials sent from a browser page that is not of an admin origin. */
export function adminOriginRequired(): GraphQLError {
  return new GraphQLError(
    "Admin credentials are accepted only from an admin origin (ADMIN_CORS) or from outside a browser (no Origin).",
    { extensions: { code: "FORBIDDEN", http: { status: 403 } } }
  )
}
