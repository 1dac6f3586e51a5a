import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { recordCacheLookup } from "../../lib/metrics"
import type { AnswerStore } from "../../lib/response-cache/response-store"
import type { AnswersInFlight } from "./in-flight"
import { cacheable, sessionOf, type AnswerKeyParts } from "./keys"

/** The parts of a plain request the front can answer: a JSON POST of `query`, `variables`, `operationName`. */
function plainRequest(req: AuthenticatedMedusaRequest): Omit<AnswerKeyParts, "sessionId" | "request"> | undefined {
  if (req.method !== "POST" || !Buffer.isBuffer(req.body) || req.headers.origin) return
  if (!/^application\/json\s*(;|$)/i.test(req.headers["content-type"] ?? "")) return
  const accept = req.headers.accept
  if (accept && (!/application\/json|\*\/\*/i.test(accept) || /graphql-response\+json/i.test(accept))) return
  if (!cacheable(req)) return
  let params: Record<string, unknown>
  try {
    params = JSON.parse(req.body.toString("utf8"))
  } catch {
    return
  }
  const { query, variables, operationName, ...rest } = params ?? {}
  if (typeof query !== "string" || Object.keys(rest).length) return
  if (variables != null && (typeof variables !== "object" || Array.isArray(variables))) return
  if (operationName != null && typeof operationName !== "string") return
  return {
    documentString: query,
    variableValues: variables as Record<string, unknown> | null | undefined,
    operationName: operationName as string | null | undefined,
  }
}

function send(res: MedusaResponse, body: string) {
  recordCacheLookup("response", true)
  res.status(200)
  res.setHeader("Content-Type", "application/json; charset=utf-8")
  res.setHeader("Content-Length", Buffer.byteLength(body))
  res.setHeader("Vary", "Origin")
  res.end(body)
}

/**
 * Sends an answer the response cache holds before the request reaches Yoga,
 * whose own handling (a Fetch request and response around each Node one,
 * its hooks) costs about as much as the rest of a cached request. Only the
 * plain case is answered here: a JSON POST of `query` (with `variables` and
 * `operationName`) from a client that sends no Origin (a server-rendered
 * storefront, an app, a script) and accepts JSON. Anything else (browsers,
 * whose answers need CORS headers; persisted documents; GET; other media
 * types) goes to Yoga (`next`), whose response cache answers it from the
 * same store under the same key.
 *
 * A plain request that misses while the same answer is being computed for
 * another waits for it (see AnswersInFlight) instead of computing it again.
 */
export function cachedAnswerFront(options: {
  store: AnswerStore
  answerKey: (parts: AnswerKeyParts) => Promise<string>
  inFlight: AnswersInFlight
}) {
  const { store, answerKey, inFlight } = options
  return async function answerFromCache(req: AuthenticatedMedusaRequest, res: MedusaResponse, next: () => Promise<unknown>) {
    const plain = plainRequest(req)
    if (!plain) return next()
    let key: string
    try {
      key = await answerKey({ ...plain, sessionId: sessionOf(req), request: req })
      const found = await store.getSerialized(key)
      if (found !== undefined) return send(res, found)
      if (await inFlight.wait(key)) {
        const computed = await store.getSerialized(key)
        if (computed !== undefined) return send(res, computed)
      }
    } catch {
      // The store is out of reach: Yoga answers, without the cache.
      return next()
    }
    if (!inFlight.begin(key)) return next()
    try {
      return await next()
    } finally {
      inFlight.end(key)
    }
  }
}
