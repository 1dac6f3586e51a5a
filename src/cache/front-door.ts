import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { ReadCacheSettings } from "../catalog/read-cache"
import { storefrontAccess } from "../catalog/storefront"
import { clientKey } from "../graphql/client-key"
import { actorOf, asksForFreshRead, PUBLISHABLE_KEY_HEADER } from "../graphql/context"
import { costExtension } from "../graphql/plugins/rate-limit"
import { recordCacheLookup } from "../lib/metrics"
import type { BucketStore } from "../rate-limit/bucket-store"
import { answerKey } from "./answer-key"
import { CACHE_HEADER } from "./cache-header"
import { cachedCaller } from "./cached-caller"
import { PRIVATE, VARY } from "./http-cache"
import type { ResponseCacheRuntime } from "./runtime"
import { decodeAnswer } from "./stored-answer"

export type FrontDoorOptions = {
  runtime: ResponseCacheRuntime
  /** rulesFingerprint of this server's settings: the same as the answer cache plugin's. */
  rules: string
  trustedDocuments: "only" | "allow"
  /** The text of a persisted document by its id, as the trusted documents plugin serves it. */
  persistedDocument: (id: string) => string | undefined
  /** The rate limit's buckets (null when it is off): the same store its plugin charges. */
  buckets: BucketStore | null
  readCache: ReadCacheSettings
  recordAnsweredEarly: (operationName: string | null, seconds: number, method: string, statusCode: number) => void
}

/** The body fields of a plain GraphQL-over-HTTP POST; anything else is left to Yoga. */
const PLAIN_FIELDS = new Set(["query", "documentId", "operationName", "variables"])

/**
 * The answer cache's front door: answers a stored answer before the request
 * reaches Yoga, at about the cost of Medusa's own `/health` (a Yoga plugin
 * costs twice that; decision 0017). It takes only requests whose every rule
 * it can apply the way the plugins do, and leaves everything else, and any
 * doubt, to Yoga (where the answer cache's plugin may still answer it):
 *
 * - CSRF and CORS: only JSON POSTs (which need a preflight) without an
 *   `Origin` (browsers' requests get Yoga's CORS headers);
 * - trusted documents: a query sent in full is not taken in mode "only";
 *   a `documentId` is read from the same manifest;
 * - the publishable key: the caller is resolved as for every request
 *   (cached-caller.ts, revocation included); a key that reads nothing, or
 *   credentials that do not check out, go to Yoga, which refuses them;
 * - depth, aliases, tokens, input and cost limits: they depend on the
 *   document and variables only, which the answer's key holds, with the
 *   fingerprint of the settings that decide them (answer-key.ts);
 * - the rate limit: the client's bucket is charged what the answer's
 *   operation was charged (requested first, the unused part back); when it
 *   holds too little, Yoga refuses the request as usual;
 * - metrics: the hit counts in the same series as in Yoga.
 *
 * Resolves true when it answered.
 */
export function frontDoor(options: FrontDoorOptions) {
  const answer = answerEarly(options)
  return async (req: AuthenticatedMedusaRequest, res: MedusaResponse): Promise<boolean> => {
    try {
      return await answer(req, res)
    } catch {
      // Whatever fails here (input that no rule has bounded yet, a database
      // out of reach) is Yoga's to answer, with its rules and its errors.
      return res.headersSent
    }
  }
}

function answerEarly(options: FrontDoorOptions) {
  const { runtime, rules, buckets } = options
  return async (req: AuthenticatedMedusaRequest, res: MedusaResponse): Promise<boolean> => {
    const started = process.hrtime.bigint()
    if (req.method !== "POST" || req.headers.origin !== undefined) return false
    if (mediaType(req.headers["content-type"]) !== "application/json" || !acceptsPlainJson(req.headers.accept)) return false
    const params = plainParams(req.body)
    if (!params) return false
    // As the persisted operations plugin reads them: a query sent in full wins over an id.
    const source = params.query
      ? typeof params.query === "string" && options.trustedDocuments === "allow" ? params.query : undefined
      : typeof params.documentId === "string" ? options.persistedDocument(params.documentId) : undefined
    if (source === undefined) return false

    const actor = actorOf(req)
    let caller: string
    if (actor.kind === "admin") {
      if (asksForFreshRead(req)) return false
      caller = "admin"
    } else {
      const token = req.headers[PUBLISHABLE_KEY_HEADER]
      if (req.headers.authorization || typeof token !== "string" || !token) return false
      const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
      const access = await cachedCaller(runtime, token, () => storefrontAccess(query, token, options.readCache))
      if (access.kind !== "storefront") return false
      caller = `key:${token}`
    }

    const key = answerKey({ source, operationName: params.operationName, variables: params.variables, caller }, rules)
    const found = await runtime.store.get(key)
    if (found === undefined) return false
    const answer = decodeAnswer(found)
    if (answer.cost === undefined || (buckets && !answer.cost)) return false

    let extensions: { cost: ReturnType<typeof costExtension> } | undefined
    if (buckets && answer.cost) {
      const { requested, actual } = answer.cost
      const client = clientKey(actor, req)
      const taken = await buckets.take(client, requested)
      if (!taken.allowed) return false
      const bucket = actual < requested ? await buckets.take(client, actual - requested) : taken
      extensions = { cost: costExtension(buckets, requested, actual, bucket) }
    }

    const body = `{"data":${answer.dataJson}${extensions ? `,"extensions":${JSON.stringify(extensions)}` : ""}}`
    // A POST: never public (http-cache.ts); the same Vary as every answer.
    res.status(200).set({
      "content-type": "application/json; charset=utf-8",
      vary: VARY.join(", "),
      "cache-control": PRIVATE,
      [CACHE_HEADER]: "HIT",
    })
    res.end(body)
    recordCacheLookup("response", true)
    const seconds = Number(process.hrtime.bigint() - started) / 1e9
    options.recordAnsweredEarly(params.operationName || answer.operationName, seconds, "POST", 200)
    return true
  }
}

type PlainParams = { query?: unknown; documentId?: unknown; operationName?: string | null; variables?: Record<string, unknown> | null }

/** The request's GraphQL parameters when they are plain (see PLAIN_FIELDS); null for anything else. */
function plainParams(body: unknown): PlainParams | null {
  if (!Buffer.isBuffer(body)) return null
  let parsed: unknown
  try {
    parsed = JSON.parse(body.toString("utf8"))
  } catch {
    return null
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return null
  const params = parsed as Record<string, unknown>
  for (const field of Object.keys(params)) if (!PLAIN_FIELDS.has(field)) return null
  const { operationName, variables } = params
  if (operationName != null && typeof operationName !== "string") return null
  if (variables != null && (typeof variables !== "object" || Array.isArray(variables))) return null
  return params as PlainParams
}

/** The media type without parameters, lower-cased. */
function mediaType(header: string | undefined): string | undefined {
  return header?.split(";")[0].trim().toLowerCase()
}

/**
 * Whether Yoga would answer as `application/json`: its regular results are
 * sent in the type of the first Accept entry (utf-8 only) that either of its
 * types (`application/graphql-response+json`, `application/json`) matches,
 * JSON when a wildcard matches both; no Accept counts as a wildcard. One
 * that lists multipart/mixed or text/event-stream is not taken at all.
 */
function acceptsPlainJson(header: string | undefined): boolean {
  const entries = (header || "*/*").replace(/\s/g, "").toLowerCase().split(",")
  // A client that takes incremental delivery (@defer) is left to Yoga, whichever type it prefers.
  if (entries.some((entry) => /^(multipart\/mixed|text\/event-stream)(;|$)/.test(entry))) return false
  for (const entry of entries) {
    const [type, ...params] = entry.split(";")
    if ((params.find((p) => p.includes("charset=")) ?? "charset=utf-8") !== "charset=utf-8") continue
    if (type === "application/graphql-response+json") return false
    if (type === "application/json" || type === "application/*" || type === "*/*") return true
  }
  return false
}
