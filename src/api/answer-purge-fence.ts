import type { MedusaNextFunction, MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { adminWriteTags } from "../cache/change-table"
import { purgeAnswers } from "../cache/runtime"

const WRITES = new Set(["POST", "PUT", "PATCH", "DELETE"])

/**
 * Read-your-writes for Medusa's admin REST routes: once an admin write has
 * answered, the next GraphQL read (on any instance) must show it. Medusa's
 * events purge cached answers too, but they are handled after the route has
 * answered. So the answer of a write waits, after the write and before its
 * first byte goes out, until the answers holding what its path names are
 * purged (see adminWriteTags). A refused write (4xx) changed nothing.
 */
export function answerPurgeFence(req: MedusaRequest, res: MedusaResponse, next: MedusaNextFunction) {
  if (!WRITES.has(req.method)) return next()
  const tags = adminWriteTags(req.originalUrl ?? req.url)
  if (!tags.length) return next()
  const end = res.end
  res.end = function (this: MedusaResponse, ...args: unknown[]) {
    if (res.statusCode >= 400 && res.statusCode < 500) return end.apply(this, args as any)
    const logger = req.scope.resolve(ContainerRegistrationKeys.LOGGER)
    void purgeAnswers(tags, logger).finally(() => end.apply(this, args as any))
    return this
  } as typeof res.end
  next()
}
