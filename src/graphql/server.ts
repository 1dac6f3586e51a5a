import { EnvelopArmorPlugin } from "@escape.tech/graphql-armor"
import { useDeferStream } from "@graphql-yoga/plugin-defer-stream"
import { useDisableIntrospection } from "@graphql-yoga/plugin-disable-introspection"
import { renderGraphiQL } from "@graphql-yoga/render-graphiql"
import { createYoga, type YogaServerInstance } from "graphql-yoga"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { loadAppConfig } from "../lib/config"
import { metricsRegistry } from "../lib/metrics"
import { tagAnswers } from "../cache/answer-tags"
import { responseCache } from "../cache/response-cache-plugin"
import { responseCacheRuntime } from "../cache/runtime"
import { rulesFingerprint } from "../cache/answer-key"
import { frontDoor } from "../cache/front-door"
import { listenForCatalogChanges } from "../subscriptions/catalog-pubsub"
import { createContext, PUBLISHABLE_KEY_HEADER, type GraphQLContext, type ServerContext } from "./context"
import { maskErrors, type Logger } from "./mask-errors"
import { EXAMPLE_QUERY, PREDICTIVE_EXAMPLE_QUERY, SEARCH_EXAMPLE_QUERY, playgroundKey } from "./playground"
import { csrfPrevention } from "./plugins/csrf-prevention"
import { eventStreamHeaders } from "./plugins/event-stream-headers"
import { inputLimits } from "./plugins/input-limits"
import { variableErrorCodes } from "./plugins/variable-errors"
import { hideSuggestions } from "./plugins/hide-suggestions"
import { graphqlMetrics } from "./plugins/metrics"
import { playgroundPage } from "./plugins/playground-page"
import { queryCostLimit } from "./plugins/query-cost-limit"
import { rateLimit } from "./plugins/rate-limit"
import { storefrontAccess } from "./plugins/storefront-access"
import { subscriptionLimit } from "./plugins/subscription-limit"
import { graphqlTracing } from "./plugins/tracing"
import { varyOnRequestHeaders } from "./plugins/vary"
import { createBucketStore } from "../rate-limit/create-bucket-store"
import { buildSchema } from "./schema"
import { DOCUMENT_ID_PARAM, persistedDocument, trustedDocuments } from "./trusted-documents"

export const GRAPHQL_PATH = "/graphql"

// The playground page changes with each deploy and its ETag lets a browser
// revalidate it for a few bytes: always ask, never serve a stale copy.
const PLAYGROUND_CACHE_CONTROL = "no-cache"

/** The GraphQL server, and how the /graphql route hands it a request. */
export type GraphQLServer = {
  yoga: YogaServerInstance<ServerContext, GraphQLContext>
  handle(req: ServerContext["req"], res: ServerContext["res"]): Promise<unknown>
}

/**
 * The GraphQL server, built once per process. Production limits are on by
 * default: requests another site could forge are refused (csrfPrevention),
 * introspection is off in production, depth, aliases and tokens are capped
 * (graphql-armor), input is bounded (inputLimits), cost is checked with the
 * variables applied (queryCostLimit), each client has a budget of cost
 * (rateLimit), field suggestions are given only where introspection is on, and errors that are not
 * meant for clients are masked in every mode (see maskErrors).
 */
export function createGraphQLServer(options: { logger: Logger }): GraphQLServer {
  const { graphql, queryCache, redisUrl, redisPrefix, observability, httpCache } = loadAppConfig()
  const runtime = responseCacheRuntime()
  const schema = runtime ? tagAnswers(buildSchema()) : buildSchema()
  // Under the answer cache, a miss reads the database: Query's cache drops
  // its entries when Medusa's events are handled, which can be after a write
  // has answered, and a miss filled from it would keep the old read. Without
  // the answer cache, reads use Query's cache.
  const readCache = { enabled: queryCache.enabled && !runtime, ttl: queryCache.ttl }
  const metrics = graphqlMetrics({ registry: metricsRegistry(), maxOperationNames: observability.metricsMaxOperationNames })
  const buckets = graphql.rateLimit.enabled
    ? createBucketStore(graphql.rateLimit, { ...graphql.rateLimit, redisUrl, redisPrefix, logger: options.logger })
    : null
  // The settings that decide whether an operation may run: answers are kept per set of them.
  const rules = rulesFingerprint({
    trustedDocuments: graphql.trustedDocuments,
    introspection: graphql.introspection,
    maxDepth: graphql.maxDepth,
    maxAliases: graphql.maxAliases,
    maxTokens: graphql.maxTokens,
    maxCost: graphql.maxCost,
    maxStringLength: graphql.maxStringLength,
    maxFilterLength: graphql.maxFilterLength,
    maxJsonDepth: graphql.maxJsonDepth,
  })
  const yoga = createYoga<ServerContext, GraphQLContext>({
    schema,
    graphqlEndpoint: GRAPHQL_PATH,
    extraParamNames: [DOCUMENT_ID_PARAM],
    // The body is already read, within GRAPHQL_MAX_BODY_BYTES, by the route's
    // middleware (api/graphql/body-limit.ts): a second limit would only stream it again.
    maxRequestBodySize: false,
    // Only the configured origins may call from a browser; others get no CORS headers.
    cors: (request) => graphql.cors(request.headers.get("origin")),
    context: ({ req, res }) => createContext({ req, res }, { readCache, answers: runtime }),
    landingPage: false,
    // The playground is served by playgroundPage below: compressed, with an ETag.
    graphiql: false,
    maskedErrors: { maskError: maskErrors(options.logger) },
    logging: false,
    plugins: [
      // Outermost, so that a trace's GraphQL span holds everything the operation does.
      ...(observability.otel.exporter !== "none" ? [graphqlTracing()] : []),
      ...metrics.plugins,
      playgroundPage({
        endpoint: GRAPHQL_PATH,
        render: renderGraphiQL,
        cacheControl: PLAYGROUND_CACHE_CONTROL,
        options: async (_request, server) => {
          if (!graphql.graphiql) return false
          const { req } = server as ServerContext
          const key = await playgroundKey(req.scope.resolve(ContainerRegistrationKeys.QUERY))
          const headers = JSON.stringify(key ? { [PUBLISHABLE_KEY_HEADER]: key } : {}, null, 2)
          return {
            title: "Brands & products GraphQL",
            defaultQuery: EXAMPLE_QUERY,
            defaultTabs: [EXAMPLE_QUERY, SEARCH_EXAMPLE_QUERY, PREDICTIVE_EXAMPLE_QUERY].map((query) => ({ query, headers })),
            headers,
            // Headers typed into the playground (tokens) must not outlive the tab in localStorage.
            shouldPersistHeaders: false,
          }
        },
      }),
      varyOnRequestHeaders(),
      eventStreamHeaders(),
      csrfPrevention(),
      // @defer and @stream (declared in schema/common.graphql): their validation rules; the
      // executor sends the parts as multipart/mixed or server-sent events.
      useDeferStream(),
      // "Did you mean …?" names what introspection would: given only where it is on.
      ...(graphql.introspection ? [] : [useDisableIntrospection(), hideSuggestions()]),
      // After hideSuggestions, whose hidden hints it keeps.
      variableErrorCodes(),
      trustedDocuments(graphql.trustedDocuments),
      EnvelopArmorPlugin({
        // A named fragment counts as the fields it holds, not as a level.
        maxDepth: { n: graphql.maxDepth, flattenFragments: true },
        // Every alias counts, __typename's too (armor lets those through by default).
        maxAliases: { n: graphql.maxAliases, allowList: [] },
        // Cost is checked with the variables by queryCostLimit instead.
        costLimit: { enabled: false },
        maxTokens: { n: graphql.maxTokens },
        // Replaced by hideSuggestions, which covers enum values and variables too.
        blockFieldSuggestion: { enabled: false },
      }),
      inputLimits(graphql),
      storefrontAccess(),
      queryCostLimit({ maxCost: graphql.maxCost }),
      // Before the rate limit: a subscription refused here spends nothing.
      subscriptionLimit({ maxPerClient: graphql.maxSubscriptionsPerClient }),
      // After the cost limit: an operation refused as too costly spends nothing.
      ...(buckets ? [rateLimit({ store: buckets })] : []),
      // Last: an answer is looked up only once every rule above has passed.
      responseCache({ runtime, rules, logger: options.logger, http: httpCache }),
    ],
  })
  const answerEarly = runtime
    ? frontDoor({ runtime, rules, trustedDocuments: graphql.trustedDocuments, persistedDocument, buckets, readCache, recordAnsweredEarly: metrics.recordAnsweredEarly })
    : null
  listenForCatalogChanges(options.logger)
  return {
    yoga,
    handle: async (req, res) => {
      if (answerEarly && (await answerEarly(req, res))) return
      return yoga(req, res, { req, res })
    },
  }
}
