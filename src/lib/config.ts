/**
 * The application's settings, read from the environment in one place.
 * Defaults let `npm start` work on a machine with nothing but Node installed
 * (scripts/start.mjs provides DATABASE_URL from an embedded PostgreSQL then).
 */
const flag = (value: string | undefined, fallback: boolean) =>
  value === undefined || value === "" ? fallback : /^(1|true|yes|on)$/i.test(value)

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
      ttl: Number(env.QUERY_CACHE_TTL || 60),
      /** Key prefix in Redis, so that several apps (or test runs) can share one server. */
      redisPrefix: env.QUERY_CACHE_PREFIX || "mc:",
    },
    graphql: {
      /** Browser origins allowed to call /graphql: storefronts and back offices alike. */
      corsOrigins: (env.GRAPHQL_CORS || `${storeCors},${adminCors}`)
        .split(",")
        .map((o) => o.trim())
        .filter(Boolean),
      /** The playground is on in development, off in production unless asked for. */
      graphiql: flag(env.GRAPHIQL, !isProduction),
      /** "only": answer persisted documents alone; "allow" (default): both. */
      trustedDocuments: env.GRAPHQL_TRUSTED_DOCUMENTS === "only" ? ("only" as const) : ("allow" as const),
      maxDepth: Number(env.GRAPHQL_MAX_DEPTH || 8),
      maxAliases: Number(env.GRAPHQL_MAX_ALIASES || 15),
      maxCost: Number(env.GRAPHQL_MAX_COST || 50000),
      maxTokens: Number(env.GRAPHQL_MAX_TOKENS || 2000),
    },
  }
}

export type AppConfig = ReturnType<typeof loadAppConfig>
