import { getOperationAST, Kind, type ExecutionResult, type OperationDefinitionNode } from "graphql"
import { isAsyncIterable, type Plugin } from "graphql-yoga"
import { recordCacheLookup } from "../../lib/metrics"
import { bumpCatalogVersions } from "../../lib/response-cache/runtime"
import type { AnswerStore } from "../../lib/response-cache/response-store"
import type { ServerContext } from "../context"
import { cacheable, sessionOf, type AnswerKeyParts } from "./keys"

type Logger = { warn: (message: string) => void }

/**
 * Whole answers to queries, kept by document, variables, session and the
 * versions of the catalog domains the document reads (see keys.ts): an
 * answer found is sent without parsing, validating or running anything, and
 * without counting against the caller's rate limit (it costs the database
 * nothing).
 *
 * - Search answers are kept under the search index's version too, which
 *   moves once an index write has landed (src/modules/search-postgres).
 * - After a mutation, every domain's version is bumped before the answer
 *   goes out, so that the caller's next read (on any instance) sees the change.
 * - Answers with errors, and introspection, are not kept.
 * - No validators (ETag, Last-Modified) are sent: a conditional request is
 *   answered in full.
 *
 * Written here rather than taken from Yoga's response cache plugin, which
 * this cache used before: that plugin adds `__typename` and `id` to every
 * selection of a document and walks and copies every answer to take them
 * out again, to drop answers entity by entity. Versions make that unneeded,
 * and it was a sixth of the CPU of a search that missed the cache.
 */
export function responseCachePlugins(options: {
  store: AnswerStore
  answerKey: (parts: AnswerKeyParts) => Promise<string>
  ttlSeconds: number
  logger: Logger
}): Plugin[] {
  const { store, answerKey, logger } = options
  const ttlMs = options.ttlSeconds * 1000
  /** The answer key of each cacheable request, by its context (the server context, which Yoga's extends). */
  const keys = new WeakMap<object, string>()
  /** Answers sent from the cache, for the metrics. */
  const found = new WeakSet<object>()
  return [
    {
      async onParams({ params, context, setResult }) {
        const { req } = context as unknown as ServerContext
        if (!params.query || !cacheable(req)) return
        const key = await answerKey({
          documentString: params.query,
          variableValues: params.variables,
          operationName: params.operationName,
          sessionId: sessionOf(req),
          request: req,
        })
        keys.set(context, key)
        const answer = await store.get(key)
        if (!answer) return
        // A copy: plugins that add to a result's extensions must not change what is kept.
        const result = { ...answer }
        found.add(result)
        setResult(result)
      },
      onExecute({ args }) {
        const definition = getOperationAST(args.document, args.operationName)
        const operation = definition?.operation
        if (operation === "mutation") return { onExecuteDone: () => bumpCatalogVersions(undefined, logger) }
        const key = keys.get(args.contextValue as object)
        if (operation !== "query" || key === undefined || asksForSchema(definition!)) return
        recordCacheLookup("response", false)
        return {
          onExecuteDone({ result }) {
            if (isAsyncIterable(result) || (result as ExecutionResult).errors?.length) return
            void store.set(key, result as ExecutionResult, ttlMs)
          },
        }
      },
      onResultProcess({ result }) {
        if (found.has(result as object)) recordCacheLookup("response", true)
      },
    },
  ]
}

/** Whether an operation introspects the schema (`__schema`, `__type` at its root): such answers are not kept. */
function asksForSchema(operation: OperationDefinitionNode): boolean {
  return operation.selectionSet.selections.some(
    (selection) => selection.kind === Kind.FIELD && (selection.name.value === "__schema" || selection.name.value === "__type")
  )
}
