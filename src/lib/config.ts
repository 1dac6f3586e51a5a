import { DEFAULT_METADATA_LIMITS } from "./json-limits"

/**
 * The application's settings, read from the environment in one place.
 * Defaults let `npm start` work on a machine with nothing but Node installed
 * (scripts/start.mjs provides DATABASE_URL from an embedded PostgreSQL then).
 */
const flag = (value: string | undefined, fallback: boolean) =>
  value === undefined || value === "" ? fallback : /^(1|true|yes|on)$/i.test(value)

/**
 * A positive whole number from `env[name]`, or `fallback` when unset. Anything
 * else stops the process: a mistyped limit must not quietly turn it off.
 */
function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]
  if (raw === undefined || raw.trim() === "") return fallback
  const value = Number(raw)
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new Error(`${name} must be a positive whole number; got "${raw}".`)
  }
  return value
}

/** A whole number ≥ 0 from `env[name]` (0 turns the setting off), or `fallback` when unset. */
function nonNegativeInt(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]
  if (raw === undefined || raw.trim() === "") return fallback
  const value = Number(raw)
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new Error(`${name} must be a whole number (0 or more); got "${raw}".`)
  }
  return value
}

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

/**
 * Per-client rate limits by query cost (a leaky bucket). Every operation the
 * cost limit allows must be able to run on a full bucket, so a capacity
 * below GRAPHQL_MAX_COST stops the process.
 */
function rateLimitSettings(env: NodeJS.ProcessEnv, maxCost: number) {
  const settings = {
    enabled: flag(env.GRAPHQL_RATE_LIMIT, true),
    /** Points a client's bucket holds: the burst it may spend at once. */
    capacity: positiveInt(env, "GRAPHQL_RATE_LIMIT_CAPACITY", 100000),
    /** Points restored per second: the cost a client may spend over time. */
    restoreRate: positiveInt(env, "GRAPHQL_RATE_LIMIT_RESTORE_RATE", 10000),
    /** Key prefix of the buckets in Redis (with REDIS_URL). */
    redisPrefix: env.GRAPHQL_RATE_LIMIT_PREFIX || "rl:",
    /** Clients whose buckets one process keeps in memory (without REDIS_URL); full ones go first. */
    maxClients: positiveInt(env, "GRAPHQL_RATE_LIMIT_MAX_CLIENTS", 50000),
  }
  if (settings.enabled && settings.capacity < maxCost) {
    throw new Error(
      `GRAPHQL_RATE_LIMIT_CAPACITY (${settings.capacity}) must be at least GRAPHQL_MAX_COST (${maxCost}): ` +
        "otherwise an operation the cost limit allows could never run."
    )
  }
  return settings
}

/** What a `medusa start` process does: everything, HTTP only, or background work only. */
export const WORKER_MODES = ["shared", "server", "worker"] as const
export type WorkerMode = (typeof WORKER_MODES)[number]

/**
 * Medusa's `workerMode` from MEDUSA_WORKER_MODE (the variable Medusa itself
 * reads when the config sets none, but which it ignores when misspelled,
 * leaving a process that neither serves nor works): `server` answers HTTP and
 * emits events, `worker` handles events, workflow steps and scheduled jobs
 * and serves /health only, `shared` does both.
 */
export function workerMode(env: NodeJS.ProcessEnv = process.env): WorkerMode {
  const raw = (env.MEDUSA_WORKER_MODE || "shared").trim().toLowerCase()
  if (!(WORKER_MODES as readonly string[]).includes(raw)) {
    throw new Error(`MEDUSA_WORKER_MODE must be one of ${WORKER_MODES.join(", ")}; got "${env.MEDUSA_WORKER_MODE}".`)
  }
  return raw as WorkerMode
}

/** Where traces go: nowhere (the default), the console, or an OTLP collector over HTTP. */
export const OTEL_EXPORTERS = ["none", "console", "otlp"] as const
export type OtelExporter = (typeof OTEL_EXPORTERS)[number]

/**
 * Metrics, traces and readiness. Read by the server and by instrumentation.ts
 * (which runs before the app loads, so it must not need anything else).
 */
export function observabilitySettings(env: NodeJS.ProcessEnv = process.env) {
  const exporter = (env.OTEL_EXPORTER || "none").trim().toLowerCase()
  if (!(OTEL_EXPORTERS as readonly string[]).includes(exporter)) {
    throw new Error(`OTEL_EXPORTER must be one of ${OTEL_EXPORTERS.join(", ")}; got "${env.OTEL_EXPORTER}".`)
  }
  return {
    /** Bearer token /metrics asks for; unset, /metrics does not exist (404). */
    metricsToken: env.METRICS_TOKEN || undefined,
    /**
     * Distinct operation names the metrics label; later names count as
     * "other", so that clients cannot grow the metrics without bound.
     */
    metricsMaxOperationNames: positiveInt(env, "METRICS_MAX_OPERATION_NAMES", 100),
    otel: {
      exporter: exporter as OtelExporter,
      serviceName: env.OTEL_SERVICE_NAME || "brand-graph",
    },
    /** How long each readiness check (PostgreSQL, Redis) may take before it counts as down. */
    readyTimeoutMs: positiveInt(env, "READY_TIMEOUT_MS", 1000),
  }
}

/**
 * Reads the settings from `env`. Call it where they are used rather than at
 * import time, so that the environment a process ends up with is the one seen.
 */
export function loadAppConfig(env: NodeJS.ProcessEnv = process.env) {
  const isProduction = env.NODE_ENV === "production"
  const storeCors = env.STORE_CORS || "http://localhost:8000"
  const adminCors = env.ADMIN_CORS || "http://localhost:5173,http://localhost:9000"
  const maxCost = positiveInt(env, "GRAPHQL_MAX_COST", 50000)
  return {
    isProduction,
    databaseUrl: env.DATABASE_URL || "postgres://postgres@localhost:5432/brand_graph",
    redisUrl: env.REDIS_URL || undefined,
    workerMode: workerMode(env),
    /**
     * Reconnects of Redis a command of a request waits through before it
     * fails (ioredis' maxRetriesPerRequest; Medusa's modules default to 20).
     */
    redisMaxRetriesPerRequest: nonNegativeInt(env, "REDIS_MAX_RETRIES_PER_REQUEST", 1),
    // Unset, Medusa uses a development default, and refuses to start in
    // production (npm start's embedded cluster brings secrets of its own).
    jwtSecret: env.JWT_SECRET || undefined,
    cookieSecret: env.COOKIE_SECRET || undefined,
    storeCors,
    adminCors,
    authCors: env.AUTH_CORS || "http://localhost:5173,http://localhost:9000",
    /**
     * Public address of the files the local File Module provider stores in
     * `static/` (which Medusa serves at `/static`). It is written into every
     * uploaded file's URL (product images), so it follows PORT by default:
     * Medusa's own default names port 9000 whatever the server listens on.
     */
    fileBackendUrl: env.FILE_BACKEND_URL || `http://localhost:${env.PORT || 9000}/static`,
    /**
     * PostgreSQL's statement_timeout for the server's connections, in
     * milliseconds (0: none), so that no request holds a backend past it.
     */
    statementTimeoutMs: nonNegativeInt(env, "DATABASE_STATEMENT_TIMEOUT_MS", 5000),
    /**
     * Longest a request waits for a connection of the server's pool, in
     * milliseconds; while PostgreSQL is out of reach it fails at once instead.
     */
    databaseAcquireTimeoutMs: positiveInt(env, "DATABASE_ACQUIRE_TIMEOUT_MS", 5000),
    /**
     * How often workers look for brand deletions a dead process left
     * half-done (a deleted brand with live links) and finish them, in seconds.
     */
    brandDeleteRepairSeconds: positiveInt(env, "BRAND_DELETE_REPAIR_SECONDS", 60),
    /** How deep and how large a `metadata` object may be (brands, and any JSON input). */
    metadata: {
      maxDepth: positiveInt(env, "METADATA_MAX_DEPTH", DEFAULT_METADATA_LIMITS.maxDepth),
      maxBytes: positiveInt(env, "METADATA_MAX_BYTES", DEFAULT_METADATA_LIMITS.maxBytes),
    },
    /**
     * Medusa's Caching Module (its `caching` feature) for Query reads: the
     * GraphQL API caches what queries read, and entries are dropped when Medusa
     * emits a change to what they hold, or after `ttl` seconds at the latest.
     */
    queryCache: {
      enabled: flag(env.QUERY_CACHE, true),
      ttl: positiveInt(env, "QUERY_CACHE_TTL", 60),
      /** Key prefix in Redis, so that several apps (or test runs) can share one server. */
      redisPrefix: env.QUERY_CACHE_PREFIX || "mc:",
    },
    /**
     * Whole GraphQL answers to queries, cached by document, variables, who
     * asks (admin, or the publishable key) and the versions of the catalog
     * domains the document reads (products, brands, prices, keys and
     * channels). A change to a domain makes every answer that read it
     * unreachable at once: Medusa's events bump the versions, and so does
     * every admin write (REST or GraphQL) before it answers. In this
     * process's memory, or in Redis with REDIS_URL (shared by all instances).
     */
    responseCache: {
      enabled: flag(env.RESPONSE_CACHE, true),
      /** Longest an answer is kept, in seconds, whatever changes. */
      ttlSeconds: positiveInt(env, "RESPONSE_CACHE_TTL", 60),
      /** Bytes of answers one process keeps in memory (without REDIS_URL); the least recently used go first. */
      maxBytes: positiveInt(env, "RESPONSE_CACHE_MAX_BYTES", 64 * 1024 * 1024),
      /** Largest answer kept, in bytes of JSON; larger ones are answered but not cached. */
      maxEntryBytes: positiveInt(env, "RESPONSE_CACHE_MAX_ENTRY_BYTES", 1048576),
      /** Key prefix in Redis (with REDIS_URL). */
      redisPrefix: env.RESPONSE_CACHE_PREFIX || "rc:",
      /**
       * Longest a request waits, in ms, for the same answer another request
       * of this process is computing, before it computes it itself.
       */
      maxWaitMs: positiveInt(env, "RESPONSE_CACHE_MAX_WAIT_MS", 5000),
      /** Publishable keys whose callers (valid or not, and their channels) one process keeps; the least recently used go first. */
      maxCallers: positiveInt(env, "RESPONSE_CACHE_MAX_CALLERS", 10000),
      /** Look-ups of the records search facets list (brands, categories) one process keeps; the least recently used go first. */
      maxLookups: positiveInt(env, "RESPONSE_CACHE_MAX_LOOKUPS", 1000),
      /**
       * Products read by id (search hits, `product`, `node`) one process keeps,
       * each as one selection read it, between changes to products, brands
       * and prices; the least recently used go first. 0 keeps none.
       */
      maxRecords: nonNegativeInt(env, "RESPONSE_CACHE_MAX_RECORDS", 5000),
    },
    /**
     * How the product search index follows Medusa's events: the events that
     * arrive within `windowMs` of each other are read back together, in reads
     * of at most `chunkSize` products; a full build reads `seedPageSize`
     * products at a time.
     */
    searchIngest: {
      windowMs: nonNegativeInt(env, "SEARCH_INGEST_WINDOW_MS", 25),
      chunkSize: positiveInt(env, "SEARCH_INGEST_CHUNK_SIZE", 200),
      seedPageSize: positiveInt(env, "SEARCH_SEED_PAGE_SIZE", 1000),
    },
    /**
     * The in-memory copy of a search index that keyword searches are answered
     * from (src/modules/search-postgres/keyword-replica.ts): on unless turned
     * off; an index of more than `maxDocuments` documents is not copied.
     * Rows written within `overlapSeconds` of a sync are read again by the
     * next (a write that committed late).
     */
    searchReplica: {
      enabled: flag(env.SEARCH_REPLICA, true),
      maxDocuments: positiveInt(env, "SEARCH_REPLICA_MAX_DOCUMENTS", 250000),
      overlapSeconds: positiveInt(env, "SEARCH_REPLICA_OVERLAP_SECONDS", 10),
    },
    graphql: {
      /** Browser origins allowed to call /graphql: storefronts and back offices alike. */
      cors: corsPolicy(
        (env.GRAPHQL_CORS ?? `${storeCors},${adminCors}`)
          .split(",")
          .map((o) => o.trim())
          .filter(Boolean)
      ),
      /** The playground is on in development, off in production unless asked for. */
      graphiql: flag(env.GRAPHIQL, !isProduction),
      /** Schema introspection (`__schema`, `__type`): as the playground, off in production unless asked for. */
      introspection: flag(env.GRAPHQL_INTROSPECTION, !isProduction),
      /** "only": answer persisted documents alone; "allow" (default): both. */
      trustedDocuments: env.GRAPHQL_TRUSTED_DOCUMENTS === "only" ? ("only" as const) : ("allow" as const),
      maxDepth: positiveInt(env, "GRAPHQL_MAX_DEPTH", 8),
      maxAliases: positiveInt(env, "GRAPHQL_MAX_ALIASES", 15),
      maxCost,
      maxTokens: positiveInt(env, "GRAPHQL_MAX_TOKENS", 2000),
      /** Largest request body, in bytes; a larger one gets 413 and is never parsed. */
      maxBodyBytes: positiveInt(env, "GRAPHQL_MAX_BODY_BYTES", 102400),
      /**
       * A larger body is read and dropped before its 413 goes out, so that
       * clients that send all before they read see it: at most this many
       * bytes (0: none, the 413 goes out at once) ...
       */
      discardBodyMaxBytes: nonNegativeInt(env, "GRAPHQL_DISCARD_BODY_MAX_BYTES", 64 * 1024 * 1024),
      /** ... and for at most this many milliseconds. */
      discardBodyTimeoutMs: positiveInt(env, "GRAPHQL_DISCARD_BODY_TIMEOUT_MS", 10000),
      /** Longest string any argument or variable may hold (characters). */
      maxStringLength: positiveInt(env, "GRAPHQL_MAX_STRING_LENGTH", 10000),
      /** Longest string a filter (`eq`, `in`, `contains`) may hold: each is matched against many rows. */
      maxFilterLength: positiveInt(env, "GRAPHQL_MAX_FILTER_LENGTH", 500),
      /** Deepest nesting of a JSON input value; deeper input is refused before any code walks it. */
      maxJsonDepth: positiveInt(env, "GRAPHQL_MAX_JSON_DEPTH", 32),
      rateLimit: rateLimitSettings(env, maxCost),
      /** Cache-Control of the playground page; its ETag lets a browser revalidate it for a few bytes. */
      graphiqlCacheControl: env.GRAPHIQL_CACHE_CONTROL || "no-cache",
    },
    observability: observabilitySettings(env),
  }
}

export type AppConfig = ReturnType<typeof loadAppConfig>
