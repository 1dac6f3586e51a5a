import { authenticate, type MedusaNextFunction, type MedusaRequest, type MedusaResponse } from "@medusajs/framework/http"
import { adminCorsOf, fromAdminOrigin } from "../../graphql/admin-origin"

/**
 * Medusa's admin authentication (session cookie, bearer token, secret API
 * key), optional, for requests from an admin origin or from no browser page
 * (see fromAdminOrigin). From any other origin no credential is read: the
 * request is the storefront's, anonymous, even when the browser sends along
 * an admin's session cookie (a storefront of the same site gets it, and a
 * script injected into the storefront must not act as the admin).
 */
export function authenticateAdminFromAdminOrigins() {
  const admin = authenticate("user", ["session", "bearer", "api-key"], { allowUnauthenticated: true })
  return (req: MedusaRequest, res: MedusaResponse, next: MedusaNextFunction) => {
    if (fromAdminOrigin(req, adminCorsOf(req.scope))) return admin(req, res, next)
    next()
  }
}
