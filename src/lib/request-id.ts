import { AsyncLocalStorage } from "node:async_hooks"
import { randomUUID } from "node:crypto"
import type { MedusaNextFunction, MedusaRequest, MedusaResponse } from "@medusajs/framework/http"

export const REQUEST_ID_HEADER = "x-request-id"

/** Ids a client or proxy may choose: short, and nothing that could forge a log line or a field. */
const ACCEPTED_ID = /^[\w.:@+=/-]{1,128}$/

const current = new AsyncLocalStorage<string>()

/** The id of the request being handled, in any code it runs (resolvers, error masking), or undefined. */
export const currentRequestId = () => current.getStore()

/** `message` with the current request's id in front, for log lines. */
export function withRequestId(message: string): string {
  const id = currentRequestId()
  return id ? `[request ${id}] ${message}` : message
}

/**
 * Gives every request an id: the caller's `X-Request-Id` when it is a
 * reasonable one (a proxy's or a client's, so that their logs and ours meet),
 * else a new UUID. It is echoed in the response's `X-Request-Id`, becomes
 * `req.requestId` (Medusa's production HTTP log writes it as `request_id`),
 * and is what withRequestId puts in our log lines.
 */
export function requestId(req: MedusaRequest, res: MedusaResponse, next: MedusaNextFunction) {
  const given = req.headers[REQUEST_ID_HEADER]
  const id = typeof given === "string" && ACCEPTED_ID.test(given) ? given : randomUUID()
  ;(req as MedusaRequest & { requestId?: string }).requestId = id
  res.setHeader("X-Request-Id", id)
  current.run(id, next)
}
