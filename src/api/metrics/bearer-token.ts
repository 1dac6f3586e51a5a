import { createHash, timingSafeEqual } from "node:crypto"
import type { MedusaNextFunction, MedusaRequest, MedusaResponse } from "@medusajs/framework/http"

const digest = (value: string) => createHash("sha256").update(value).digest()

/** Compares in constant time, whatever the lengths. */
const sameSecret = (given: string, expected: string) => timingSafeEqual(digest(given), digest(expected))

/**
 * Keeps a route for those who hold `token()` (sent as `Authorization: Bearer
 * <token>`): without a token configured the route does not exist (404);
 * without the right token it answers 401. Read on every request, so that the
 * environment the process ends up with is the one used.
 */
export function requireBearerToken(token: () => string | undefined) {
  return (req: MedusaRequest, res: MedusaResponse, next: MedusaNextFunction) => {
    const expected = token()
    if (!expected) {
      res.status(404).json({ type: "not_found", message: `Cannot ${req.method} ${req.path}` })
      return
    }
    const given = /^Bearer +(\S+)\s*$/i.exec(req.headers.authorization ?? "")?.[1]
    if (!given || !sameSecret(given, expected)) {
      res
        .status(401)
        .set("WWW-Authenticate", 'Bearer realm="metrics"')
        .json({ type: "unauthorized", message: "Send the metrics token as Authorization: Bearer <token>." })
      return
    }
    next()
  }
}
