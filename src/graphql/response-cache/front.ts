import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { recordCacheLookup } from "../../lib/metrics"
import type { AnswerStore } from "../../lib/response-cache/response-store"
import { cacheable, sessionOf, type AnswerKeyParts } from "./keys"

/**
 * Sends an answer the response cache holds before the request reaches Yoga,
 * whose own handling (a Fetch request and response around each Node one,
 * its hooks) costs about as much as the rest of a cached request. Only the
 * plain case is answered here: a JSON POST of `query` (with `variables` and
 * `operationName`) from a client that sends no Origin (a server-rendered
 * storefront, an app, a script) and accepts JSON. Anything else (browsers,
 * whose answers need CORS headers; persisted documents; GET; other media
 * types) goes to Yoga, whose response cache answers it from the same store
 * under the same key. Returns whether it answered.
 */
export function cachedAnswerFront(options: { store: AnswerStore; answerKey: (parts: AnswerKeyParts) => Promise<string> }) {
  const { store, answerKey } = options
  return async function answerFromCache(req: AuthenticatedMedusaRequest, res: MedusaResponse): Promise<boolean> {
    if (req.method !== "POST" || !Buffer.isBuffer(req.body) || req.headers.origin) return false
    if (!/^application\/json\s*(;|$)/i.test(req.headers["content-type"] ?? "")) return false
    const accept = req.headers.accept
    if (accept && (!/application\/json|\*\/\*/i.test(accept) || /graphql-response\+json/i.test(accept))) return false
    if (!cacheable(req)) return false
    let params: Record<string, unknown>
    try {
      params = JSON.parse(req.body.toString("utf8"))
    } catch {
      return false
    }
    const { query, variables, operationName, ...rest } = params ?? {}
    if (typeof query !== "string" || Object.keys(rest).length) return false
    if (variables != null && (typeof variables !== "object" || Array.isArray(variables))) return false
    if (operationName != null && typeof operationName !== "string") return false
    try {
      const key = await answerKey({
        documentString: query,
        variableValues: variables as Record<string, unknown> | null | undefined,
        operationName: operationName as string | null | undefined,
        sessionId: sessionOf(req),
      })
      const body = await store.getSerialized(key)
      if (body === undefined) return false
      recordCacheLookup("response", true)
      res.status(200)
      res.setHeader("Content-Type", "application/json; charset=utf-8")
      res.setHeader("Content-Length", Buffer.byteLength(body))
      res.setHeader("Vary", "Origin")
      res.end(body)
      return true
    } catch {
      // The store is out of reach: Yoga answers, without the cache.
      return false
    }
  }
}
