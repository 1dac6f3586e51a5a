import { createHash, randomUUID } from "node:crypto"
import { useResponseCache } from "@graphql-yoga/plugin-response-cache"
import { getOperationAST, type GraphQLSchema } from "graphql"
import type { Plugin } from "graphql-yoga"
import { documentDomains } from "../../lib/response-cache/catalog-domains"
import { bumpCatalogVersions, type ResponseCacheRuntime } from "../../lib/response-cache/runtime"
import { recordCacheLookup } from "../../lib/metrics"
import { asksForFreshRead, PUBLISHABLE_KEY_HEADER, type ServerContext } from "../context"

type Logger = { warn: (message: string) => void }

/**
 * Who an answer is for, from what Medusa's auth middleware found: every
 * admin sees the same catalog; a storefront sees what its publishable key
 * allows, so answers are kept per key (anonymous and admin never share one).
 */
function sessionOf({ req }: ServerContext): string {
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
function cacheable({ req }: ServerContext): boolean {
  const admin = req.auth_context?.actor_id
  if (!admin && req.headers.authorization) return false
  return !(admin && asksForFreshRead(req))
}

/**
 * Whole answers to queries, kept by document, variables, session and the
 * versions of the catalog domains the document reads (see
 * catalog-versions.ts): an answer found is sent without parsing, validating
 * or running anything, and without counting against the caller's rate
 * limit (it costs the database nothing).
 *
 * - Search answers are not kept: the index follows writes through events,
 *   after the write has answered, so an answer kept in between would outlive it.
 * - After a mutation, every domain's version is bumped before the answer
 *   goes out, so that the caller's next read (on any instance) sees the change.
 * - Answers with errors are not kept.
 * - While the store is out of reach (Redis down), queries are answered
 *   without the cache.
 */
export function responseCache(options: { schema: GraphQLSchema; runtime: ResponseCacheRuntime; logger: Logger }): Plugin[] {
  const { runtime, logger } = options
  const domainsOf = documentDomains(options.schema)
  let failing = false
  const failed = (error: unknown) => {
    if (failing) return
    failing = true
    logger.warn(`Response cache unavailable; answering without it until it is back: ${(error as Error).message}`)
  }
  const store = {
    async get(key: string) {
      try {
        const found = await runtime.store.get(key)
        failing = false
        return found
      } catch (error) {
        failed(error)
        return undefined
      }
    },
    async set(...args: Parameters<typeof runtime.store.set>) {
      try {
        await runtime.store.set(...args)
      } catch (error) {
        failed(error)
      }
    },
    invalidate: () => {},
  }

  return [
    useResponseCache<ServerContext>({
      session: (_request, context) => sessionOf(context),
      enabled: (_request, context) => cacheable(context),
      cache: store,
      ttl: runtime.settings.ttlSeconds * 1000,
      ttlPerSchemaCoordinate: { "Query.searchProducts": 0 },
      includeExtensionMetadata: false,
      // Given, so that no ETag is sent: the plugin's ETag is the cache key,
      // and it would answer 304 for an entry a bump has since left behind.
      shouldCacheResult: ({ result }) => !result.errors?.length,
      async buildResponseCacheKey({ documentString, variableValues, operationName, sessionId }) {
        const domains = domainsOf(documentString)
        let versions: string
        try {
          versions = await runtime.versions.read(domains)
        } catch (error) {
          // Without the versions no stored answer can be trusted: a key no one will ask for again.
          failed(error)
          return `unversioned:${randomUUID()}`
        }
        return createHash("sha256")
          .update([documentString, operationName ?? "", JSON.stringify(variableValues ?? {}), sessionId ?? "", domains.join(","), versions].join("\u0000"))
          .digest("base64url")
      },
    }),
    {
      onExecute({ args }) {
        const operation = getOperationAST(args.document, args.operationName)?.operation
        if (operation === "query" && cacheable(args.contextValue as unknown as ServerContext)) recordCacheLookup("response", false)
        if (operation !== "mutation") return
        return { onExecuteDone: () => bumpCatalogVersions(undefined, logger) }
      },
      onResultProcess({ result }) {
        if ((result as Record<symbol, unknown>)[Symbol.for("servedFromResponseCache")]) recordCacheLookup("response", true)
      },
    },
  ]
}
