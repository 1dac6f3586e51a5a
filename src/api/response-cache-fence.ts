import type { MedusaNextFunction, MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { bumpCatalogVersions } from "../lib/response-cache/runtime"

const WRITES = new Set(["POST", "PUT", "PATCH", "DELETE"])

/**
 * Read-your-writes for Medusa's admin REST routes: once an admin write has
 * answered, the next GraphQL read (on any instance) must show it. Medusa's
 * events drop cached answers too, but they are handled after the route has
 * answered. So the answer of a write waits, after the write and before its
 * first byte goes out, until every cached answer is out of reach. A refused
 * write (4xx) changed nothing and drops nothing. Any admin write drops all
 * domains: a route does not say what it changed (a product update can change
 * its prices), and writes are few next to reads.
 */
export function responseCacheFence(req: MedusaRequest, res: MedusaResponse, next: MedusaNextFunction) {
  if (!WRITES.has(req.method)) return next()
  const end = res.end
  res.end = function (this: MedusaResponse, ...args: unknown[]) {
    if (res.statusCode >= 400 && res.statusCode < 500) return end.apply(this, args as any)
    const logger = req.scope.resolve(ContainerRegistrationKeys.LOGGER)
    void bumpCatalogVersions(undefined, logger).finally(() => end.apply(this, args as any))
    return this
  } as typeof res.end
  next()
}
