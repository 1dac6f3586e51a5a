import { loadAppConfig, otelServiceName, type AppConfig } from "../config"

/**
 * What loadAppConfig() returned, for a few environments, before the settings
 * moved into one schema: code elsewhere reads this shape, so it must not move.
 */
const ORIGINS = ["http://localhost:8000", "http://localhost:5173", "https://shop.test", "https://a.test", "https://evil.test", "null", null]

/** The config with its CORS policy replaced by the answers it gives, so that it can be compared. */
function comparable(config: AppConfig) {
  const { cors, ...graphql } = config.graphql
  return { ...config, graphql, corsAnswers: ORIGINS.map((origin) => cors(origin)) }
}

const DEFAULTS = {
    isProduction: false,
    databaseUrl: "postgres://postgres@localhost:5432/brand_graph",
    redisUrl: undefined,
    redisPrefix: "",
    workerMode: "shared",
    jwtSecret: undefined,
    cookieSecret: undefined,
    storeCors: "http://localhost:8000",
    adminCors: "http://localhost:5173,http://localhost:9000",
    authCors: "http://localhost:5173,http://localhost:9000",
    fileBackendUrl: "http://localhost:9000/static",
    statementTimeoutMs: 5000,
    databaseAcquireTimeoutMs: 5000,
    metadata: {
      maxDepth: 8,
      maxBytes: 16384,
    },
    queryCache: {
      enabled: true,
      ttl: 60,
    },
    responseCache: {
      enabled: true,
      ttlSeconds: 60,
      maxBytes: 67108864,
      maxEntryBytes: 1048576,
    },
    httpCache: {
      maxAgeSeconds: 60,
      staleWhileRevalidateSeconds: 30,
      purgeUrls: [],
    },
    graphql: {
      graphiql: true,
      introspection: true,
      trustedDocuments: "allow",
      maxDepth: 8,
      maxAliases: 15,
      maxCost: 50000,
      maxTokens: 2000,
      maxSubscriptionsPerClient: 20,
      maxBodyBytes: 102400,
      discardBodyMaxBytes: 67108864,
      discardBodyTimeoutMs: 10000,
      maxStringLength: 10000,
      maxFilterLength: 500,
      maxJsonDepth: 32,
      rateLimit: {
        enabled: true,
        capacity: 100000,
        restoreRate: 10000,
        maxClients: 50000,
      },
    },
    observability: {
      metricsToken: undefined,
      metricsMaxOperationNames: 100,
      otel: {
        exporter: "none",
      },
      readyTimeoutMs: 1000,
    },
  }

const LOCAL_ORIGINS = ["http://localhost:8000", "http://localhost:5173", "http://localhost:9000"]

describe("loadAppConfig", () => {
  it("has defaults that let npm start work with nothing set", () => {
    const config = loadAppConfig({})
    expect(config.graphql).toMatchObject({ maxDepth: 8, maxAliases: 15, maxCost: 50000, maxTokens: 2000 })
    expect(config.queryCache).toMatchObject({ enabled: true, ttl: 60 })
    expect(config.responseCache).toEqual({
      enabled: true,
      ttlSeconds: 60,
      maxBytes: 64 * 1024 * 1024,
      maxEntryBytes: 1048576,
    })
    expect(config.graphql).toMatchObject({ maxBodyBytes: 102400, maxStringLength: 10000, maxFilterLength: 500, maxJsonDepth: 32 })
    expect(config.metadata).toEqual({ maxDepth: 8, maxBytes: 16384 })
    expect(config.statementTimeoutMs).toBe(5000)
    expect(config.databaseAcquireTimeoutMs).toBe(5000)
    expect(config.workerMode).toBe("shared")
    expect(config.redisPrefix).toBe("")
    expect(config.graphql.rateLimit).toEqual({
      enabled: true,
      capacity: 100000,
      restoreRate: 10000,
      maxClients: 50000,
    })
    expect(config.observability).toEqual({
      metricsToken: undefined,
      metricsMaxOperationNames: 100,
      otel: { exporter: "none" },
      readyTimeoutMs: 1000,
    })
    // No default secret: Medusa decides (development default, refusal in production).
    expect(config.jwtSecret).toBeUndefined()
    expect(config.cookieSecret).toBeUndefined()
  })

  it("stops on a limit that is not a positive whole number, instead of turning the limit off", () => {
    for (const [name, value] of [
      ["GRAPHQL_MAX_DEPTH", "8x"],
      ["GRAPHQL_MAX_COST", "50k"],
      ["GRAPHQL_MAX_ALIASES", "0"],
      ["GRAPHQL_MAX_TOKENS", "-1"],
      ["RESPONSE_CACHE_TTL", "1.5"],
      ["GRAPHQL_RATE_LIMIT_CAPACITY", "lots"],
      ["GRAPHQL_RATE_LIMIT_RESTORE_RATE", "0"],
      ["RESPONSE_CACHE_TTL", "0"],
      ["RESPONSE_CACHE_MAX_BYTES", "64MB"],
      ["RESPONSE_CACHE_MAX_ENTRY_BYTES", "-5"],
      ["RESPONSE_CACHE_MAX_ENTRY_BYTES", "0"],
      ["RESPONSE_CACHE_MAX_BYTES", "x"],
    ]) {
      expect(() => loadAppConfig({ [name]: value })).toThrow(new RegExp(`${name} must be a positive whole number`))
    }
    expect(loadAppConfig({ GRAPHQL_MAX_COST: " 1200 " }).graphql.maxCost).toBe(1200)
    for (const name of ["GRAPHQL_MAX_BODY_BYTES", "GRAPHQL_MAX_STRING_LENGTH", "GRAPHQL_MAX_FILTER_LENGTH", "METADATA_MAX_DEPTH"]) {
      expect(() => loadAppConfig({ [name]: "0" })).toThrow(new RegExp(`${name} must be a positive whole number`))
    }
    // A statement timeout of 0 turns it off; anything else that is not a whole number stops the server.
    expect(loadAppConfig({ DATABASE_STATEMENT_TIMEOUT_MS: "0" }).statementTimeoutMs).toBe(0)
    expect(() => loadAppConfig({ DATABASE_STATEMENT_TIMEOUT_MS: "5s" })).toThrow(/DATABASE_STATEMENT_TIMEOUT_MS must be a whole number/)
  })

  it("runs a process as a server, a worker or both by MEDUSA_WORKER_MODE, and refuses another mode", () => {
    expect(loadAppConfig({ MEDUSA_WORKER_MODE: "server" }).workerMode).toBe("server")
    expect(loadAppConfig({ MEDUSA_WORKER_MODE: " Worker " }).workerMode).toBe("worker")
    // Medusa itself would ignore a misspelled mode and start a process that neither serves nor works.
    expect(() => loadAppConfig({ MEDUSA_WORKER_MODE: "workers" })).toThrow(/MEDUSA_WORKER_MODE must be one of shared, server, worker/)
    expect(() => loadAppConfig({ DATABASE_ACQUIRE_TIMEOUT_MS: "0" })).toThrow(/DATABASE_ACQUIRE_TIMEOUT_MS must be a positive whole number/)
  })

  it("picks the trace exporter by OTEL_EXPORTER and refuses an unknown one", () => {
    expect(loadAppConfig({ OTEL_EXPORTER: "OTLP" }).observability.otel.exporter).toBe("otlp")
    expect(loadAppConfig({ OTEL_EXPORTER: "console" }).observability.otel.exporter).toBe("console")
    expect(() => loadAppConfig({ OTEL_EXPORTER: "zipkin" })).toThrow(/OTEL_EXPORTER must be one of none, console, otlp/)
    // OpenTelemetry's SDK reads OTEL_SERVICE_NAME itself: a name is passed only when it is unset.
    expect(otelServiceName({})).toBe("brand-graph")
    expect(otelServiceName({ OTEL_SERVICE_NAME: "svc" })).toBeUndefined()
    expect(() => loadAppConfig({ READY_TIMEOUT_MS: "1s" })).toThrow(/READY_TIMEOUT_MS must be a positive whole number/)
  })

  it("lets the listed origins call with credentials, any origin only without them, and none on an empty list", () => {
    const split = loadAppConfig({ STORE_CORS: "https://shop.test", ADMIN_CORS: "https://admin.test" }).graphql.cors
    expect(split("https://shop.test")).toEqual({ origin: ["https://shop.test", "https://admin.test"], credentials: true })
    expect(split("https://admin.test")).toEqual({ origin: ["https://shop.test", "https://admin.test"], credentials: true })

    const listed = loadAppConfig({ GRAPHQL_CORS: "https://a.test, https://b.test" }).graphql.cors
    expect(listed("https://b.test")).toEqual({ origin: ["https://a.test", "https://b.test"], credentials: true })
    // Unlisted, opaque (`null`) and absent origins get no CORS headers at all.
    expect(listed("https://evil.test")).toBe(false)
    expect(listed("null")).toBe(false)
    expect(listed(null)).toBe(false)
    expect(loadAppConfig({ GRAPHQL_CORS: "null,https://a.test" }).graphql.cors("null")).toBe(false)

    expect(loadAppConfig({ GRAPHQL_CORS: "*" }).graphql.cors("https://any.test")).toEqual({ origin: "*", credentials: false })
    expect(loadAppConfig({ GRAPHQL_CORS: "" }).graphql.cors("http://localhost:8000")).toBe(false)
    expect(loadAppConfig({ GRAPHQL_CORS: " , " }).graphql.cors("http://localhost:8000")).toBe(false)
  })

  it("turns introspection off in production unless asked for", () => {
    expect(loadAppConfig({}).graphql.introspection).toBe(true)
    expect(loadAppConfig({ NODE_ENV: "test" }).graphql.introspection).toBe(true)
    expect(loadAppConfig({ NODE_ENV: "production" }).graphql.introspection).toBe(false)
    expect(loadAppConfig({ NODE_ENV: "production", GRAPHQL_INTROSPECTION: "true" }).graphql.introspection).toBe(true)
    expect(loadAppConfig({ GRAPHQL_INTROSPECTION: "false" }).graphql.introspection).toBe(false)
  })

  it("refuses a rate limit bucket smaller than the most an operation may cost, unless rate limits are off", () => {
    expect(() => loadAppConfig({ GRAPHQL_MAX_COST: "2000", GRAPHQL_RATE_LIMIT_CAPACITY: "1999" })).toThrow(
      /GRAPHQL_RATE_LIMIT_CAPACITY \(1999\) must be at least GRAPHQL_MAX_COST \(2000\)/
    )
    expect(() => loadAppConfig({ GRAPHQL_RATE_LIMIT_CAPACITY: "49999" })).toThrow(/at least GRAPHQL_MAX_COST/)
    expect(loadAppConfig({ GRAPHQL_MAX_COST: "2000", GRAPHQL_RATE_LIMIT_CAPACITY: "2000" }).graphql.rateLimit.capacity).toBe(2000)
    expect(loadAppConfig({ GRAPHQL_RATE_LIMIT: "false", GRAPHQL_RATE_LIMIT_CAPACITY: "10" }).graphql.rateLimit.enabled).toBe(false)
  })

  it("keeps one Redis prefix for the app's keys, and one TTL for answers and Query's cache", () => {
    expect(loadAppConfig({ REDIS_PREFIX: "shop1:" }).redisPrefix).toBe("shop1:")
    expect(loadAppConfig({ RESPONSE_CACHE_TTL: "30" }).queryCache.ttl).toBe(30)
  })

  it("refuses a trusted documents mode it does not know, rather than allowing ad-hoc queries", () => {
    expect(loadAppConfig({ GRAPHQL_TRUSTED_DOCUMENTS: "only" }).graphql.trustedDocuments).toBe("only")
    expect(loadAppConfig({ GRAPHQL_TRUSTED_DOCUMENTS: " Only " }).graphql.trustedDocuments).toBe("only")
    expect(() => loadAppConfig({ GRAPHQL_TRUSTED_DOCUMENTS: "onyl" })).toThrow(
      /GRAPHQL_TRUSTED_DOCUMENTS must be one of allow, only; got "onyl"/
    )
  })

  it("names every variable at fault at once", () => {
    expect(() => loadAppConfig({ GRAPHQL_MAX_DEPTH: "deep", OTEL_EXPORTER: "zipkin" })).toThrow(
      'GRAPHQL_MAX_DEPTH must be a positive whole number; got "deep".\nOTEL_EXPORTER must be one of none, console, otlp; got "zipkin".'
    )
  })

  it("puts uploaded files' URLs on the port the server listens on", () => {
    expect(loadAppConfig({}).fileBackendUrl).toBe("http://localhost:9000/static")
    expect(loadAppConfig({ PORT: "9400" }).fileBackendUrl).toBe("http://localhost:9400/static")
    expect(loadAppConfig({ PORT: "9400", FILE_BACKEND_URL: "https://cdn.example.com/static" }).fileBackendUrl).toBe(
      "https://cdn.example.com/static"
    )
  })
})

describe("loadAppConfig's shape and values", () => {
  it("has the defaults it always had", () => {
    expect(comparable(loadAppConfig({}))).toStrictEqual({
      ...DEFAULTS,
      corsAnswers: [
        { origin: LOCAL_ORIGINS, credentials: true },
        { origin: LOCAL_ORIGINS, credentials: true },
        false, false, false, false, false,
      ],
    })
  })

  it("keeps the production defaults: no playground, no introspection, nothing else changed", () => {
    expect(comparable(loadAppConfig({ NODE_ENV: "production" }))).toStrictEqual({
      ...DEFAULTS,
      isProduction: true,
      graphql: { ...DEFAULTS.graphql, graphiql: false, introspection: false },
      corsAnswers: [
        { origin: LOCAL_ORIGINS, credentials: true },
        { origin: LOCAL_ORIGINS, credentials: true },
        false, false, false, false, false,
      ],
    })
  })

  it("reads every setting when each is set", () => {
    const env = {
    NODE_ENV: "production", DATABASE_URL: "postgres://u@db:5432/x", REDIS_URL: "redis://r:6379", MEDUSA_WORKER_MODE: " Server ",
    REDIS_PREFIX: "shop1:", JWT_SECRET: "j", COOKIE_SECRET: "c", STORE_CORS: "https://shop.test", ADMIN_CORS: "https://admin.test",
    AUTH_CORS: "https://auth.test", PORT: "9400", DATABASE_STATEMENT_TIMEOUT_MS: "0", DATABASE_ACQUIRE_TIMEOUT_MS: "250",
    METADATA_MAX_DEPTH: "4", METADATA_MAX_BYTES: "2048", QUERY_CACHE: "off",
    RESPONSE_CACHE: "no", RESPONSE_CACHE_TTL: "10", RESPONSE_CACHE_MAX_BYTES: "1000000", RESPONSE_CACHE_MAX_ENTRY_BYTES: "1000",
    HTTP_CACHE_MAX_AGE: "0", HTTP_CACHE_STALE_WHILE_REVALIDATE: "5", HTTP_CACHE_PURGE_URL: "http://v1/, http://v2/",
    GRAPHQL_CORS: "https://a.test, https://b.test", GRAPHIQL: "yes", GRAPHQL_INTROSPECTION: "ON", GRAPHQL_TRUSTED_DOCUMENTS: "only",
    GRAPHQL_MAX_DEPTH: "5", GRAPHQL_MAX_ALIASES: "3", GRAPHQL_MAX_COST: "1000", GRAPHQL_MAX_TOKENS: "500", GRAPHQL_MAX_BODY_BYTES: "2000",
    GRAPHQL_MAX_SUBSCRIPTIONS_PER_CLIENT: "4",
    GRAPHQL_MAX_STRING_LENGTH: "100", GRAPHQL_MAX_FILTER_LENGTH: "50", GRAPHQL_MAX_JSON_DEPTH: "6", GRAPHQL_RATE_LIMIT: "true", GRAPHQL_RATE_LIMIT_CAPACITY: "1000",
    GRAPHQL_RATE_LIMIT_RESTORE_RATE: "100", GRAPHQL_RATE_LIMIT_MAX_CLIENTS: "7",
    METRICS_TOKEN: "m", METRICS_MAX_OPERATION_NAMES: "9", OTEL_EXPORTER: "Console", READY_TIMEOUT_MS: "300",
  }
    expect(comparable(loadAppConfig(env))).toStrictEqual({
      ...{
      isProduction: true,
      databaseUrl: "postgres://u@db:5432/x",
      redisUrl: "redis://r:6379",
      redisPrefix: "shop1:",
      workerMode: "server",
      jwtSecret: "j",
      cookieSecret: "c",
      storeCors: "https://shop.test",
      adminCors: "https://admin.test",
      authCors: "https://auth.test",
      fileBackendUrl: "http://localhost:9400/static",
      statementTimeoutMs: 0,
      databaseAcquireTimeoutMs: 250,
      metadata: {
        maxDepth: 4,
        maxBytes: 2048,
      },
      queryCache: {
        enabled: false,
        ttl: 10,
      },
      responseCache: {
        enabled: false,
        ttlSeconds: 10,
        maxBytes: 1000000,
        maxEntryBytes: 1000,
      },
      httpCache: {
        maxAgeSeconds: 0,
        staleWhileRevalidateSeconds: 5,
        purgeUrls: ["http://v1/", "http://v2/"],
      },
      graphql: {
        graphiql: true,
        introspection: true,
        trustedDocuments: "only",
        maxDepth: 5,
        maxAliases: 3,
        maxCost: 1000,
        maxTokens: 500,
        maxSubscriptionsPerClient: 4,
        maxBodyBytes: 2000,
        discardBodyMaxBytes: 67108864,
        discardBodyTimeoutMs: 10000,
        maxStringLength: 100,
        maxFilterLength: 50,
        maxJsonDepth: 6,
        rateLimit: {
          enabled: true,
          capacity: 1000,
          restoreRate: 100,
          maxClients: 7,
        },
      },
      observability: {
        metricsToken: "m",
        metricsMaxOperationNames: 9,
        otel: {
          exporter: "console",
        },
        readyTimeoutMs: 300,
      },
    },
      corsAnswers: [false, false, false, { origin: ["https://a.test", "https://b.test"], credentials: true }, false, false, false],
    })
  })

  it("takes empty values for unset, except GRAPHQL_CORS where empty means no origin", () => {
    const config = loadAppConfig({
      NODE_ENV: "production",
      DATABASE_URL: "",
      REDIS_URL: "",
      JWT_SECRET: "",
      STORE_CORS: "",
      GRAPHQL_CORS: "",
      GRAPHIQL: "",
      GRAPHQL_INTROSPECTION: "false",
      GRAPHQL_MAX_COST: " ",
      METRICS_TOKEN: "",
      OTEL_EXPORTER: "",
      MEDUSA_WORKER_MODE: "",
      REDIS_PREFIX: "",
      FILE_BACKEND_URL: "",
      PORT: "",
    })
    expect(comparable(config)).toStrictEqual({
      ...DEFAULTS,
      isProduction: true,
      graphql: { ...DEFAULTS.graphql, graphiql: false, introspection: false },
      corsAnswers: [false, false, false, false, false, false, false],
    })
  })
})
