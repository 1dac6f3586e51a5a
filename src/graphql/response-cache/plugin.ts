import { useResponseCache } from "@graphql-yoga/plugin-response-cache"
import { getOperationAST } from "graphql"
import type { Plugin } from "graphql-yoga"
import { recordCacheLookup } from "../../lib/metrics"
import { bumpCatalogVersions } from "../../lib/response-cache/runtime"
import type { AnswerStore } from "../../lib/response-cache/response-store"
import type { ServerContext } from "../context"
import { cacheable, sessionOf, type AnswerKeyParts } from "./keys"

type Logger = { warn: (message: string) => void }

/**
 * Whole answers to queries, through Yoga's response cache, kept by
 * document, variables, session and the versions of the catalog domains the
 * document reads (see keys.ts): an answer found is sent without parsing,
 * validating or running anything, and without counting against the
 * caller's rate limit (it costs the database nothing).
 *
 * - Search answers are kept under the search index's version too, which
 *   moves once an index write has landed (src/modules/search-postgres).
 * - After a mutation, every domain's version is bumped before the answer
 *   goes out, so that the caller's next read (on any instance) sees the change.
 * - Answers with errors are not kept.
 */
export function responseCachePlugins(options: {
  store: AnswerStore
  answerKey: (parts: AnswerKeyParts) => Promise<string>
  ttlSeconds: number
  logger: Logger
}): Plugin[] {
  const { store, answerKey, logger } = options
  return [
    useResponseCache<ServerContext>({
      session: (_request, { req }) => sessionOf(req),
      // A conditional request is answered in full: the plugin would answer
      // 304 for any ETag it still holds, even one a bump has left behind.
      enabled: (request, { req }) => cacheable(req) && !request.headers.has("if-none-match"),
      cache: store,
      ttl: options.ttlSeconds * 1000,
      includeExtensionMetadata: false,
      shouldCacheResult: ({ result }) => !result.errors?.length,
      buildResponseCacheKey: (parts) => answerKey({ ...parts, request: (parts.context as unknown as ServerContext).req }),
    }),
    {
      onExecute({ args }) {
        const operation = getOperationAST(args.document, args.operationName)?.operation
        const { req } = args.contextValue as unknown as ServerContext
        if (operation === "query" && cacheable(req)) recordCacheLookup("response", false)
        if (operation === "mutation") return { onExecuteDone: () => bumpCatalogVersions(undefined, logger) }
        return {
          // The plugin marks what it stores with an ETag (its key) and a
          // Last-Modified; no validator is sent, since the key of a left-behind
          // answer would still be found (see `enabled`).
          onExecuteDone({ result }) {
            const headers = (result as { extensions?: { http?: { headers?: Record<string, string> } } }).extensions?.http?.headers
            if (headers) {
              delete headers.ETag
              delete headers["Last-Modified"]
            }
          },
        }
      },
      onResultProcess({ result }) {
        if ((result as Record<symbol, unknown>)[Symbol.for("servedFromResponseCache")]) recordCacheLookup("response", true)
      },
    },
  ]
}
