import { createCounter, createHistogram, usePrometheus } from "@graphql-yoga/plugin-prometheus"
import type { Plugin } from "graphql-yoga"
import type { Counter, Histogram, Registry } from "prom-client"
import { recordGraphQLError } from "../../lib/metrics"

/** Seconds; from a cached read (about a millisecond) to the statement timeout. */
const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

/** The label for operations past the cap on distinct names. */
export const OTHER_OPERATIONS = "other"

/**
 * Operation names as metric labels. Clients choose the names, so only the
 * first `max` distinct ones get a series of their own; later ones share
 * OTHER_OPERATIONS. Unnamed operations are "Anonymous", as the plugin says.
 */
export function operationNameLabel(max: number) {
  const seen = new Set<string>()
  return (name: string | undefined) => {
    if (!name) return "Anonymous"
    if (seen.has(name)) return name
    if (seen.size >= max) return OTHER_OPERATIONS
    seen.add(name)
    return name
  }
}

type Labels = { operationName?: string; operationType?: string }

/**
 * Prometheus metrics of the GraphQL server, through The Guild's plugin:
 *
 * - `graphql_envelop_request_duration_seconds` (histogram): time to execute
 *   each operation, by operation name and type;
 * - `graphql_envelop_request_total`: operations executed, by name and type;
 * - `graphql_yoga_http_duration_seconds` (histogram): the whole HTTP request,
 *   by operation name, method and status code (429 are throttled requests);
 *
 * and, from the responses as clients see them (after error masking, all
 * phases included, which the plugin's own error counter does not see),
 * `graphql_errors_total` by `extensions.code`.
 */
export function graphqlMetrics({ registry, maxOperationNames }: { registry: Registry; maxOperationNames: number }): {
  plugins: Plugin[]
  /** Records a query answered from the store before Yoga ran (src/cache/front-door.ts) in the same series. */
  recordAnsweredEarly: (operationName: string | null, seconds: number, method: string, statusCode: number) => void
} {
  const label = operationNameLabel(maxOperationNames)
  const operation = (params: Labels) => ({
    operationName: label(params.operationName),
    operationType: params.operationType ?? "unknown",
  })
  const prometheus = usePrometheus({
    registry,
    // Served by the app's own /metrics route, behind its token.
    endpoint: false,
    skipIntrospection: true,
    metrics: {
      graphql_envelop_request: createCounter({
        registry,
        counter: {
          name: "graphql_envelop_request_total",
          help: "GraphQL operations executed",
          labelNames: ["operationName", "operationType"],
        },
        fillLabelsFn: operation,
      }),
      graphql_envelop_request_duration: createHistogram({
        registry,
        histogram: {
          name: "graphql_envelop_request_duration_seconds",
          help: "Time to execute a GraphQL operation",
          labelNames: ["operationName", "operationType"],
          buckets: DURATION_BUCKETS,
        },
        fillLabelsFn: operation,
      }),
      graphql_yoga_http_duration: createHistogram({
        registry,
        histogram: {
          name: "graphql_yoga_http_duration_seconds",
          help: "Time to answer an HTTP request to /graphql",
          labelNames: ["operationName", "operationType", "method", "statusCode"],
          buckets: DURATION_BUCKETS,
        },
        fillLabelsFn: (params, { request, response }) => ({
          ...operation(params),
          method: request.method,
          statusCode: response.status,
        }),
      }),
      // Not needed, or replaced by graphql_errors_total below.
      graphql_envelop_request_time_summary: false,
      graphql_envelop_phase_parse: false,
      graphql_envelop_phase_validate: false,
      graphql_envelop_phase_context: false,
      graphql_envelop_phase_execute: false,
      graphql_envelop_phase_subscribe: false,
      graphql_envelop_error_result: false,
      graphql_envelop_deprecated_field: false,
      graphql_envelop_schema_change: false,
    },
  })
  const errorsByCode: Plugin = {
    onResultProcess({ result }) {
      for (const single of Array.isArray(result) ? result : [result]) {
        for (const error of (single as { errors?: { extensions?: { code?: unknown } }[] })?.errors ?? []) {
          const code = error.extensions?.code
          recordGraphQLError(typeof code === "string" ? code : "INTERNAL_SERVER_ERROR")
        }
      }
    },
  }
  const series = <T>(name: string) => registry.getSingleMetric(name) as T
  const recordAnsweredEarly = (operationName: string | null, seconds: number, method: string, statusCode: number) => {
    const labels = operation({ operationName: operationName ?? undefined, operationType: "query" })
    series<Counter<string>>("graphql_envelop_request_total").inc(labels)
    // It ran nothing: its execution took no time.
    series<Histogram<string>>("graphql_envelop_request_duration_seconds").observe(labels, 0)
    series<Histogram<string>>("graphql_yoga_http_duration_seconds").observe({ ...labels, method, statusCode }, seconds)
  }
  return { plugins: [prometheus, errorsByCode], recordAnsweredEarly }
}
