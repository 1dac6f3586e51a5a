import { parseSettings, type Settings } from "./parse"
import { DEFAULT_OTEL_SERVICE_NAME, OTEL_EXPORTERS, WORKER_MODES } from "./settings"

export { OTEL_EXPORTERS, WORKER_MODES } from "./settings"
export { parseSettings } from "./parse"

/** What a `medusa start` process does: everything, HTTP only, or background work only. */
export type WorkerMode = (typeof WORKER_MODES)[number]

/** Where traces go: nowhere (the default), the console, or an OTLP collector over HTTP. */
export type OtelExporter = (typeof OTEL_EXPORTERS)[number]

/** What Yoga's CORS answers for one request: the headers to send, or none at all. */
export type CorsOptions = { origin: string | string[]; credentials: boolean } | false

/**
 * Who may call /graphql from a browser, decided per request from its Origin:
 * a listed origin with credentials, any origin without credentials when the
 * list holds `*` (cookies are never sent then), and no one when the list is
 * empty. An origin that is not listed (`null` included: sandboxed frames and
 * files) gets no CORS headers at all, rather than `null` with credentials.
 */
export function corsPolicy(origins: string[]): (origin: string | null) => CorsOptions {
  const listed = origins.filter((o) => o !== "null")
  if (listed.includes("*")) return () => ({ origin: "*", credentials: false })
  return (origin) => (origin !== null && listed.includes(origin) ? { origin: listed, credentials: true } : false)
}

/** Medusa's `workerMode` from MEDUSA_WORKER_MODE, which Medusa would ignore when misspelled. */
export function workerMode(env: NodeJS.ProcessEnv = process.env): WorkerMode {
  return parseSettings(env, ["MEDUSA_WORKER_MODE"]).MEDUSA_WORKER_MODE
}

/**
 * Metrics, traces and readiness. Read by the server and by instrumentation.ts
 * (which runs before the app loads, so it reads these settings alone).
 */
export function observabilitySettings(env: NodeJS.ProcessEnv = process.env) {
  return observabilityOf(parseSettings(env, OBSERVABILITY_SETTINGS))
}

const OBSERVABILITY_SETTINGS = [
  "METRICS_TOKEN",
  "METRICS_MAX_OPERATION_NAMES",
  "OTEL_EXPORTER",
  "READY_TIMEOUT_MS",
] as const

function observabilityOf(s: Pick<Settings, (typeof OBSERVABILITY_SETTINGS)[number]>) {
  return {
    metricsToken: s.METRICS_TOKEN,
    metricsMaxOperationNames: s.METRICS_MAX_OPERATION_NAMES,
    otel: { exporter: s.OTEL_EXPORTER },
    readyTimeoutMs: s.READY_TIMEOUT_MS,
  }
}

/**
 * The service name to hand OpenTelemetry: none when OTEL_SERVICE_NAME is set,
 * since its SDK reads that variable itself and a name passed would win over it.
 */
export function otelServiceName(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.OTEL_SERVICE_NAME ? undefined : DEFAULT_OTEL_SERVICE_NAME
}

/** The admin user the demo seed creates. */
export function demoAdmin(env: NodeJS.ProcessEnv = process.env) {
  const s = parseSettings(env, ["ADMIN_EMAIL", "ADMIN_PASSWORD"])
  return { email: s.ADMIN_EMAIL, password: s.ADMIN_PASSWORD }
}

/**
 * Reads the settings from `env` (src/config/settings.ts declares each one).
 * Call it where they are used rather than at import time, so that the
 * environment a process ends up with is the one seen.
 */
export function loadAppConfig(env: NodeJS.ProcessEnv = process.env) {
  const s = parseSettings(env)
  const isProduction = s.NODE_ENV === "production"
  return {
    isProduction,
    databaseUrl: s.DATABASE_URL,
    redisUrl: s.REDIS_URL,
    // Each user of Redis appends its own part ("rl:", "rc:", "mc:") beside its keys.
    redisPrefix: s.REDIS_PREFIX,
    workerMode: s.MEDUSA_WORKER_MODE,
    // Unset, Medusa uses a development default, and refuses to start in production.
    jwtSecret: s.JWT_SECRET,
    cookieSecret: s.COOKIE_SECRET,
    storeCors: s.STORE_CORS,
    adminCors: s.ADMIN_CORS,
    authCors: s.AUTH_CORS,
    fileBackendUrl: s.FILE_BACKEND_URL ?? `http://localhost:${s.PORT}/static`,
    statementTimeoutMs: s.DATABASE_STATEMENT_TIMEOUT_MS,
    databaseAcquireTimeoutMs: s.DATABASE_ACQUIRE_TIMEOUT_MS,
    metadata: { maxDepth: s.METADATA_MAX_DEPTH, maxBytes: s.METADATA_MAX_BYTES },
    // Query's cache keeps entries as long as the answer cache keeps answers: one TTL to reason about.
    queryCache: { enabled: s.QUERY_CACHE, ttl: s.RESPONSE_CACHE_TTL },
    responseCache: {
      enabled: s.RESPONSE_CACHE,
      ttlSeconds: s.RESPONSE_CACHE_TTL,
      maxBytes: s.RESPONSE_CACHE_MAX_BYTES,
      maxEntryBytes: s.RESPONSE_CACHE_MAX_ENTRY_BYTES,
    },
    httpCache: {
      maxAgeSeconds: s.HTTP_CACHE_MAX_AGE,
      staleWhileRevalidateSeconds: s.HTTP_CACHE_STALE_WHILE_REVALIDATE,
      purgeUrls: s.HTTP_CACHE_PURGE_URL ?? [],
    },
    graphql: {
      cors: corsPolicy(s.GRAPHQL_CORS ?? `${s.STORE_CORS},${s.ADMIN_CORS}`.split(",").map((o) => o.trim()).filter(Boolean)),
      graphiql: s.GRAPHIQL ?? !isProduction,
      introspection: s.GRAPHQL_INTROSPECTION ?? !isProduction,
      trustedDocuments: s.GRAPHQL_TRUSTED_DOCUMENTS,
      maxDepth: s.GRAPHQL_MAX_DEPTH,
      maxAliases: s.GRAPHQL_MAX_ALIASES,
      maxCost: s.GRAPHQL_MAX_COST,
      maxTokens: s.GRAPHQL_MAX_TOKENS,
      maxSubscriptionsPerClient: s.GRAPHQL_MAX_SUBSCRIPTIONS_PER_CLIENT,
      maxBodyBytes: s.GRAPHQL_MAX_BODY_BYTES,
      discardBodyMaxBytes: s.GRAPHQL_DISCARD_BODY_MAX_BYTES,
      discardBodyTimeoutMs: s.GRAPHQL_DISCARD_BODY_TIMEOUT_MS,
      maxStringLength: s.GRAPHQL_MAX_STRING_LENGTH,
      maxFilterLength: s.GRAPHQL_MAX_FILTER_LENGTH,
      maxJsonDepth: s.GRAPHQL_MAX_JSON_DEPTH,
      rateLimit: {
        enabled: s.GRAPHQL_RATE_LIMIT,
        capacity: s.GRAPHQL_RATE_LIMIT_CAPACITY,
        restoreRate: s.GRAPHQL_RATE_LIMIT_RESTORE_RATE,
        maxClients: s.GRAPHQL_RATE_LIMIT_MAX_CLIENTS,
      },
    },
    observability: observabilityOf(s),
  }
}

export type AppConfig = ReturnType<typeof loadAppConfig>
