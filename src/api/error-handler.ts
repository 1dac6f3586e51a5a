import { errorHandler, type MedusaNextFunction, type MedusaRequest, type MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { UNAVAILABLE_ANSWER, unavailableService } from "../lib/unavailable"
import { withRequestId } from "../lib/request-id"

const medusaErrorHandler = errorHandler()

/**
 * Medusa's error handler, except that an error which only says PostgreSQL or
 * Redis is out of reach (down, restarting, no connection in time) answers
 * 503 with `Retry-After` and a type of its own (`database_unavailable`,
 * `redis_unavailable`), logged as one line, instead of 500 `unknown_error`
 * with a stack in the log.
 */
export function restErrorHandler(err: unknown, req: MedusaRequest, res: MedusaResponse, next: MedusaNextFunction) {
  const service = unavailableService(err)
  if (!service) return medusaErrorHandler(err as any, req, res, next)
  const { code, message } = UNAVAILABLE_ANSWER[service]
  const logger = req.scope?.resolve(ContainerRegistrationKeys.LOGGER) ?? console
  logger.warn(withRequestId(`${req.method} ${req.path}: ${service} unavailable (${(err as Error)?.message ?? err}).`))
  const type = code.toLowerCase()
  res.status(503).set("Retry-After", "1").json({ type, code: type, message })
}
