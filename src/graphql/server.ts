import { EnvelopArmorPlugin } from "@escape.tech/graphql-armor"
import { useDisableIntrospection } from "@graphql-yoga/plugin-disable-introspection"
import { renderGraphiQL } from "@graphql-yoga/render-graphiql"
import { createYoga, maskError, type YogaServerInstance } from "graphql-yoga"
import { loadAppConfig } from "../lib/config"
import { createContext, type GraphQLContext, type ServerContext } from "./context"
import { EXAMPLE_QUERY } from "./playground"
import { csrfPrevention } from "./plugins/csrf-prevention"
import { queryCostLimit } from "./plugins/query-cost-limit"
import { buildSchema } from "./schema"
import { DOCUMENT_ID_PARAM, trustedDocuments } from "./trusted-documents"

export const GRAPHQL_PATH = "/graphql"

type Logger = { error: (message: string) => void }

/**
 * The GraphQL server, built once per process. Production limits are on by
 * default: requests another site could forge are refused (csrfPrevention),
 * introspection is off in production, depth, aliases and tokens are capped
 * (graphql-armor), cost is checked with the variables applied
 * (queryCostLimit), no field suggestions are given, and errors that are not
 * meant for clients are masked (and logged with their stack).
 */
export function createGraphQLServer(options: { logger: Logger }): YogaServerInstance<ServerContext, GraphQLContext> {
  const { graphql, queryCache } = loadAppConfig()
  const readCache = { enabled: queryCache.enabled, ttl: queryCache.ttl }
  return createYoga<ServerContext, GraphQLContext>({
    schema: buildSchema(),
    graphqlEndpoint: GRAPHQL_PATH,
    extraParamNames: [DOCUMENT_ID_PARAM],
    // Only the configured origins may call from a browser; others get no CORS headers.
    cors: (request) => graphql.cors(request.headers.get("origin")),
    context: ({ req, res }) => createContext({ req, res }, { readCache }),
    landingPage: false,
    // Headers typed into the playground (tokens) must not outlive the tab in localStorage.
    graphiql: graphql.graphiql
      ? { title: "Brands & products GraphQL", defaultQuery: EXAMPLE_QUERY, shouldPersistHeaders: false }
      : false,
    renderGraphiQL,
    maskedErrors: {
      maskError(error, message, isDev) {
        const original = (error as { originalError?: Error }).originalError ?? error
        if (!(original as { extensions?: unknown }).extensions) {
          options.logger.error(`GraphQL: ${(original as Error)?.stack ?? String(original)}`)
        }
        return maskError(error, message, isDev)
      },
    },
    logging: false,
    plugins: [
      csrfPrevention(),
      ...(graphql.introspection ? [] : [useDisableIntrospection()]),
      trustedDocuments(graphql.trustedDocuments),
      EnvelopArmorPlugin({
        // A named fragment counts as the fields it holds, not as a level.
        maxDepth: { n: graphql.maxDepth, flattenFragments: true },
        maxAliases: { n: graphql.maxAliases },
        // Cost is checked with the variables by queryCostLimit instead.
        costLimit: { enabled: false },
        maxTokens: { n: graphql.maxTokens },
        blockFieldSuggestion: { enabled: true },
      }),
      queryCostLimit({ maxCost: graphql.maxCost }),
    ],
  })
}
