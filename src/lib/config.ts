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
 * Reads the settings from `env`. Call it where they are used rather than at
 * import time, so that the environment a process ends up with is the one seen.
 */
export function loadAppConfig(env: NodeJS.ProcessEnv = process.env) {
  const isProduction = env.NODE_ENV === "production"
  const storeCors = env.STORE_CORS || "http://localhost:8000"
  const adminCors = env.ADMIN_CORS || "http://localhost:5173,http://localhost:9000"
  return {
    isProduction,
    databaseUrl: env.DATABASE_URL || "postgres://postgres@localhost:5432/brand_graph",
    redisUrl: env.REDIS_URL || undefined,
    // Unset, Medusa uses a development default, and refuses to start in
    // production (npm start's embedded cluster brings secrets of its own).
    jwtSecret: env.JWT_SECRET || undefined,
    cookieSecret: env.COOKIE_SECRET || undefined,
    storeCors,
    adminCors,
    authCors: env.AUTH_CORS || "http://localhost:5173,http://localhost:9000",
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
      maxCost: positiveInt(env, "GRAPHQL_MAX_COST", 50000),
      maxTokens: positiveInt(env, "GRAPHQL_MAX_TOKENS", 2000),
    },
  }
}

export type AppConfig = ReturnType<typeof loadAppConfig>
