import { createHash, randomUUID } from "node:crypto"
import type { AuthenticatedMedusaRequest } from "@medusajs/framework/http"
import type { GraphQLSchema } from "graphql"
import { documentDomains } from "../../lib/response-cache/catalog-domains"
import { requestVersions, versionsOf } from "../../lib/response-cache/request-versions"
import type { ResponseCacheRuntime } from "../../lib/response-cache/runtime"
import { asksForFreshRead, PUBLISHABLE_KEY_HEADER } from "../context"

/**
 * Who an answer is for, from what Medusa's auth middleware found: every
 * admin sees the same catalog; a storefront sees what its publishable key
 * allows, so answers are kept per key (anonymous and admin never share one).
 */
export function sessionOf(req: AuthenticatedMedusaRequest): string {
  const auth = req.auth_context
  if (auth?.actor_id && (auth.actor_type === "user" || auth.actor_type === "api-key")) return "admin"
  const key = req.headers[PUBLISHABLE_KEY_HEADER]
  return `key:${typeof key === "string" ? key : ""}`
}

/**
 * Whether a request may be answered from, and stored in, the cache. Not when
 * credentials were sent that did not check out (the context refuses those),
 * nor when an admin asks to read past the cache (`Cache-Control: no-cache`).
 * Anyone else's `no-cache` is not honoured: it would let them make every
 * request cost a full read.
 */
export function cacheable(req: AuthenticatedMedusaRequest): boolean {
  const admin = req.auth_context?.actor_id
  if (!admin && req.headers.authorization) return false
  return !(admin && asksForFreshRead(req))
}

export type AnswerKeyParts = {
  documentString: string
  variableValues?: Record<string, unknown> | null
  operationName?: string | null
  sessionId: string | null | undefined
  /** The request the answer is for: its versions are read once (see requestVersions). */
  request: object
}

/**
 * The key of an answer: the document, its variables and operation, the
 * session, and the versions of the catalog domains the document reads, as
 * the request took them before reading anything from the database (see
 * requestVersions), so that an answer read while a write lands is kept
 * under the versions from before the write, where no later request looks.
 */
export function answerKeys(schema: GraphQLSchema, runtime: ResponseCacheRuntime, onError: (error: unknown) => void) {
  const domainsOf = documentDomains(schema)
  return async function answerKey({ documentString, variableValues, operationName, sessionId, request }: AnswerKeyParts): Promise<string> {
    let variables: string
    try {
      variables = JSON.stringify(variableValues ?? {})
    } catch {
      // Nested past what can be written out (the input limits refuse it next): not kept.
      return `unkeyed:${randomUUID()}`
    }
    const domains = domainsOf(documentString)
    let versions: string
    try {
      versions = versionsOf(await requestVersions(request, runtime.versions), domains)
    } catch (error) {
      // Without the versions no stored answer can be trusted: a key no one will ask for again.
      onError(error)
      return `unversioned:${randomUUID()}`
    }
    return createHash("sha256")
      .update(
        [documentString, operationName ?? "", variables, sessionId ?? "", domains.join(","), versions].join(
          "\u0000"
        )
      )
      .digest("base64url")
  }
}
