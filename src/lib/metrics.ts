import { collectDefaultMetrics, Counter, Gauge, Registry } from "prom-client"
import { openStreamCount } from "../subscriptions/open-streams"

/**
 * The process's Prometheus metrics, served at /metrics (src/api/metrics).
 * One registry per process, made on first use. The GraphQL metrics come from
 * The Guild's Prometheus plugin (src/graphql/plugins/metrics.ts); this module
 * holds the counters any part of the app may add to: cache lookups, throttled
 * requests, errors by code.
 */
type Metrics = {
  registry: Registry
  cacheLookups: Counter<"cache" | "result">
  throttled: Counter<"client">
  errors: Counter<"code">
  httpCachePurges: Counter<"result">
}

let metrics: Metrics | undefined

function create(): Metrics {
  const registry = new Registry()
  // Process figures (CPU, memory, event loop lag, GC): read when scraped.
  collectDefaultMetrics({ register: registry })
  const made: Metrics = {
    registry,
    cacheLookups: new Counter({
      name: "cache_lookups_total",
      help: "Lookups in a cache, by cache (query: Medusa's Caching Module under Query; response: whole GraphQL responses) and result (hit or miss)",
      labelNames: ["cache", "result"],
      registers: [registry],
    }),
    throttled: new Counter({
      name: "graphql_throttled_requests_total",
      help: "GraphQL operations refused by the rate limit (HTTP 429, THROTTLED), by kind of client (admin or store)",
      labelNames: ["client"],
      registers: [registry],
    }),
    errors: new Counter({
      name: "graphql_errors_total",
      help: "Errors in GraphQL responses as clients see them, by extensions.code (INTERNAL_SERVER_ERROR for masked ones)",
      labelNames: ["code"],
      registers: [registry],
    }),
    httpCachePurges: new Counter({
      name: "http_cache_purges_total",
      help: "PURGE requests sent to the HTTP cache in front (HTTP_CACHE_PURGE_URL) after changes, by result (ok or failed)",
      labelNames: ["result"],
      registers: [registry],
    }),
  }
  new Gauge({
    name: "graphql_open_subscriptions",
    help: "Subscription streams (SSE) this process holds open",
    registers: [registry],
    collect() {
      this.set(openStreamCount())
    },
  })
  countQueryCacheLookups(made)
  return made
}

/** The metrics of this process (made on first use). */
export function appMetrics(): Metrics {
  return (metrics ??= create())
}

/** The registry /metrics serves and the GraphQL plugin records into. */
export const metricsRegistry = () => appMetrics().registry

/** Counts one lookup in `cache`: a hit or a miss. For any cache of the app (e.g. "response"). */
export function recordCacheLookup(cache: string, hit: boolean) {
  appMetrics().cacheLookups.inc({ cache, result: hit ? "hit" : "miss" })
}

/** Counts one operation refused by the rate limit. */
export function recordThrottled(client: "admin" | "store") {
  appMetrics().throttled.inc({ client })
}

/** Counts one PURGE sent to the HTTP cache: answered 2xx, or not (a failed one leaves answers until their s-maxage). */
export function recordHttpCachePurge(ok: boolean) {
  appMetrics().httpCachePurges.inc({ result: ok ? "ok" : "failed" })
}

/** Counts one error of a GraphQL response by its code. */
export function recordGraphQLError(code: string) {
  appMetrics().errors.inc({ code })
}

type CachingService = {
  traceGet?: (get: () => Promise<unknown>, key: string, tags: string[]) => Promise<unknown>
}

/**
 * Counts every lookup in Medusa's Caching Module (the read cache under Query:
 * GraphQL's reads and Medusa's own store routes) as cache="query". The module
 * offers one hook around each lookup, `traceGet`, which Medusa's OpenTelemetry
 * instrumentation also uses (instrumentation.ts sets it first, before the app
 * loads): the counter wraps whatever is there, so both work.
 */
function countQueryCacheLookups(m: Metrics) {
  let service: CachingService
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    service = require("@medusajs/medusa/caching").default.service
  } catch {
    return
  }
  const traced = service.traceGet
  service.traceGet = async (get, key, tags) => {
    const data = await (traced ? traced(get, key, tags) : get())
    // Query treats any falsy answer as a miss, and so do we.
    m.cacheLookups.inc({ cache: "query", result: data ? "hit" : "miss" })
    return data
  }
}
