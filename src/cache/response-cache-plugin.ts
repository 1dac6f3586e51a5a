import {
  BREAK,
  getOperationAST,
  Kind,
  print,
  visit,
  type DocumentNode,
  type ExecutionResult,
  type OperationDefinitionNode,
} from "graphql"
import { isAsyncIterable, type Plugin } from "graphql-yoga"
import { recordCacheLookup } from "../lib/metrics"
import type { GraphQLContext, ServerContext } from "../graphql/context"
import { asksForFreshRead } from "../graphql/context"
import { answerKey } from "./answer-key"
import { ANSWER_TAGS } from "./answer-tags"
import { CACHE_HEADER } from "./cache-header"
import { mutationTags } from "./change-table"
import { mayBePublic, sharedResult, withCacheHeaders, type HttpCacheSettings } from "./http-cache"
import { AnswersInFlight } from "./in-flight"
import { purgeAnswers, type ResponseCacheRuntime } from "./runtime"
import { decodeAnswer, encodeAnswer, type StoredCost } from "./stored-answer"
import { answerKeys } from "./surrogate-keys"
import { ALL, TAGS } from "./tags"

type Logger = { warn: (message: string) => void }

/** x-cache of an answer found by a request the front door did not take (see front-door.ts), or after waiting for it. */
const HIT_IN_YOGA = "HIT; via=yoga"

/** How many computations of one answer a request waits for before it computes it itself. */
const MAX_WAITS = 3
type Context = GraphQLContext & ServerContext & { request: Request; params?: { query?: string } }

/** How a request was answered (x-cache), and what a shared cache may know of it. */
type Answered = {
  outcome: string
  /** The tags of what the answer holds (a hit: as stored; a miss: as collected while it runs). */
  tags?: Iterable<string>
  /** A storefront's GET without credentials: public unless its answer has errors. */
  mayBePublic?: boolean
  public?: boolean
}


// Longer than any answer takes to compute on a healthy server, short enough
// that a request behind a stuck one computes the answer itself.
const MAX_WAIT_MS = 5000

/**
 * The answer cache, as Yoga's last plugin: an operation reaches it only
 * after every rule has passed (CSRF, trusted documents, the publishable
 * key, input limits, the cost limit, the rate limit, which also charges a
 * cached answer for what it returns). Then:
 * - a query's answer is looked up by document, variables and caller, and
 *   sent as kept (x-cache: HIT); else it runs, collecting the tags of what
 *   it reads (answer-tags.ts), and is kept unless a change purged one of
 *   its tags meanwhile (MISS);
 * - a mutation purges what it changed (change-table.ts) before it answers,
 *   on every instance that shares the store;
 * - anything else is answered as it is (BYPASS, with the reason).
 * Answers with errors are not kept. While the store is out of reach,
 * queries are answered without it.
 *
 * For shared caches in front (http-cache.ts): a storefront's read sent as a
 * GET without credentials, made here (HIT or MISS) without errors, is public,
 * with an ETag and the surrogate keys of its tags; any other answer is
 * `private, no-store`.
 */
export function responseCache(options: {
  runtime: ResponseCacheRuntime | null
  rules: string
  logger: Logger
  http: HttpCacheSettings
}): Plugin<Context> {
  const { runtime, rules, logger, http } = options
  const answered = new WeakMap<Request, Answered>()
  const inFlight = new AnswersInFlight(MAX_WAIT_MS)
  let failing = false
  const unavailable = (error: unknown) => {
    if (!failing) logger.warn(`Response cache unavailable; answering without it: ${(error as Error).message}`)
    failing = true
    setTimeout(() => (failing = false), 10_000).unref()
  }

  return {
    async onExecute({ args, setResultAndStopExecution, extendContext }) {
      const context = args.contextValue as Context
      const request = context.request
      const bypass = (reason: string) => void answered.set(request, { outcome: `BYPASS; reason=${reason}` })
      const operation = getOperationAST(args.document, args.operationName)
      if (!runtime) return bypass("disabled")
      if (operation?.operation === "mutation") {
        bypass("mutation")
        return {
          async onExecuteDone() {
            const tags = operation.selectionSet.selections.flatMap((s) =>
              s.kind === Kind.FIELD ? mutationTags(s.name.value, argumentsOf(s, args.variableValues)) : [ALL]
            )
            await purgeAnswers(tags, logger)
          },
        }
      }
      if (operation?.operation !== "query") return bypass("not-a-query")
      if (asksForSchema(operation)) return bypass("introspection")
      // Answered in parts as they are ready: not kept (decision 0020).
      if (deliversIncrementally(args.document)) return bypass("deferred")
      if (context.isAdmin && asksForFreshRead(context.req)) return bypass("no-cache")

      const { store } = runtime
      const key = answerKey(
        {
          source: context.params?.query ?? print(args.document),
          operationName: args.operationName,
          variables: args.variableValues,
          caller: callerOf(context),
        },
        rules
      )
      const shared = !context.isAdmin && context.caller.kind === "storefront" && mayBePublic(request, http)
      let ticket
      let computing = false
      try {
        // One request of this process computes a missing answer; the others
        // wait for it. One that was not kept (a change raced it) cannot be
        // handed on: the next waiter computes it again, the rest wait anew.
        for (let waits = 0; ; waits++) {
          const found = await store.get(key)
          if (found !== undefined) {
            const { dataJson, tags } = decodeAnswer(found)
            const data = JSON.parse(dataJson) as ExecutionResult["data"]
            answered.set(request, { outcome: HIT_IN_YOGA, tags, mayBePublic: shared && tags !== undefined })
            recordCacheLookup("response", true)
            setResultAndStopExecution({ data } as ExecutionResult)
            return
          }
          computing = inFlight.begin(key)
          if (computing || waits === MAX_WAITS) break
          await inFlight.wait(key)
        }
        ticket = await store.begin()
      } catch (error) {
        if (computing) inFlight.end(key)
        unavailable(error)
        return bypass("store-unavailable")
      }
      const tags = new Set<string>([TAGS.access])
      answered.set(request, { outcome: "MISS", tags, mayBePublic: shared })
      recordCacheLookup("response", false)
      extendContext({ [ANSWER_TAGS]: tags } as Partial<Context>)
      return {
        async onExecuteDone({ result }) {
          let stored = false
          try {
            if (isAsyncIterable(result) || (result as ExecutionResult).errors?.length) return
            const done = result as ExecutionResult
            const json = encodeAnswer({ data: done.data, cost: costOf(done), operationName: operation.name?.value ?? null, tags: [...tags] })
            stored = await store.set(key, json, [...tags], runtime.settings.ttlSeconds * 1000, ticket)
          } catch (error) {
            unavailable(error)
          } finally {
            if (computing) inFlight.end(key, undefined, stored)
            // One that raced a change (or was not kept for any reason) is not handed to shared caches either.
            if (!stored) answered.set(request, { outcome: "MISS" })
          }
        },
      }
    },
    onSubscribe({ args }) {
      answered.set((args.contextValue as Context).request, { outcome: "BYPASS; reason=subscription" })
    },
    onResultProcess({ request, result, setResult }) {
      const answer = answered.get(request)
      if (!answer?.mayBePublic) return
      if (Array.isArray(result) || isAsyncIterable(result) || (result as ExecutionResult).errors?.length) return
      answer.public = true
      setResult(sharedResult(result as ExecutionResult))
    },
    async onResponse({ request, response, setResponse, fetchAPI }) {
      const answer = answered.get(request)
      response.headers.set(CACHE_HEADER, answer?.outcome ?? "BYPASS; reason=not-executed")
      // The playground page says its own.
      if (response.headers.has("cache-control")) return
      const keys = answer?.public && answer.tags ? answerKeys(answer.tags) : null
      setResponse(await withCacheHeaders(request, response, keys, http, fetchAPI))
    },
  }
}

/** Who an answer is for: every admin sees the same catalog; a storefront what its publishable key allows. */
export function callerOf(context: { isAdmin: boolean; req: { headers: Record<string, string | string[] | undefined> } }): string {
  return context.isAdmin ? "admin" : `key:${context.req.headers["x-publishable-api-key"] ?? ""}`
}

/** The cost figures the rate limit put on a result (extensions.cost), if it ran. */
function costOf(result: ExecutionResult): StoredCost | null {
  const cost = (result.extensions as { cost?: { requestedQueryCost?: unknown; actualQueryCost?: unknown } } | undefined)?.cost
  if (typeof cost?.requestedQueryCost !== "number" || typeof cost.actualQueryCost !== "number") return null
  return { requested: cost.requestedQueryCost, actual: cost.actualQueryCost }
}

/** The arguments of a root field, with the operation's variables applied (literal ids and variables only). */
function argumentsOf(field: import("graphql").FieldNode, variables: Record<string, unknown> | null | undefined): Record<string, unknown> {
  const args: Record<string, unknown> = {}
  for (const arg of field.arguments ?? []) {
    const value = arg.value
    if (value.kind === Kind.VARIABLE) args[arg.name.value] = variables?.[value.name.value]
    else if (value.kind === Kind.STRING) args[arg.name.value] = value.value
  }
  return args
}

/** Whether a document uses @defer or @stream anywhere (its operation or its fragments), whatever their `if`. */
function deliversIncrementally(document: DocumentNode): boolean {
  let found = false
  visit(document, {
    Directive(node) {
      if (node.name.value === "defer" || node.name.value === "stream") {
        found = true
        return BREAK
      }
    },
  })
  return found
}

/** Whether an operation introspects the schema (`__schema`, `__type` at its root): such answers are not kept. */
function asksForSchema(operation: OperationDefinitionNode): boolean {
  return operation.selectionSet.selections.some(
    (selection) => selection.kind === Kind.FIELD && (selection.name.value === "__schema" || selection.name.value === "__type")
  )
}
