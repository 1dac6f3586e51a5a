import { loadAppConfig } from "../config"

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
      redisPrefix: "rc:",
      maxWaitMs: 5000,
      maxCallers: 10000,
      maxLookups: 1000,
      maxRecords: 5000,
    })
    expect(config.graphql).toMatchObject({ maxBodyBytes: 102400, maxStringLength: 10000, maxFilterLength: 500, maxJsonDepth: 32 })
    expect(config.metadata).toEqual({ maxDepth: 8, maxBytes: 16384 })
    expect(config.statementTimeoutMs).toBe(5000)
    expect(config.databaseAcquireTimeoutMs).toBe(5000)
    expect(config.workerMode).toBe("shared")
    expect(config.redisMaxRetriesPerRequest).toBe(1)
    expect(config.brandDeleteRepairSeconds).toBe(60)
    expect(config.graphql.rateLimit).toEqual({
      enabled: true,
      capacity: 100000,
      restoreRate: 10000,
      redisPrefix: "rl:",
      maxClients: 50000,
    })
    expect(config.observability).toEqual({
      metricsToken: undefined,
      metricsMaxOperationNames: 100,
      otel: { exporter: "none", serviceName: "brand-graph" },
      readyTimeoutMs: 1000,
      readyReuseMs: 1000,
    })
    expect(config.graphql.graphiqlCacheControl).toBe("no-cache")
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
      ["QUERY_CACHE_TTL", "1.5"],
      ["GRAPHQL_RATE_LIMIT_CAPACITY", "lots"],
      ["GRAPHQL_RATE_LIMIT_RESTORE_RATE", "0"],
      ["RESPONSE_CACHE_TTL", "0"],
      ["RESPONSE_CACHE_MAX_BYTES", "64MB"],
      ["RESPONSE_CACHE_MAX_WAIT_MS", "-5"],
      ["RESPONSE_CACHE_MAX_CALLERS", "0"],
      ["RESPONSE_CACHE_MAX_LOOKUPS", "x"],
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
    expect(loadAppConfig({ REDIS_MAX_RETRIES_PER_REQUEST: "0" }).redisMaxRetriesPerRequest).toBe(0)
    expect(() => loadAppConfig({ DATABASE_ACQUIRE_TIMEOUT_MS: "0" })).toThrow(/DATABASE_ACQUIRE_TIMEOUT_MS must be a positive whole number/)
  })

  it("picks the trace exporter by OTEL_EXPORTER and refuses an unknown one", () => {
    expect(loadAppConfig({ OTEL_EXPORTER: "OTLP" }).observability.otel.exporter).toBe("otlp")
    expect(loadAppConfig({ OTEL_EXPORTER: "console" }).observability.otel.exporter).toBe("console")
    expect(() => loadAppConfig({ OTEL_EXPORTER: "zipkin" })).toThrow(/OTEL_EXPORTER must be one of none, console, otlp/)
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
    expect(loadAppConfig({ GRAPHQL_RATE_LIMIT_PREFIX: "shop1:rl:" }).graphql.rateLimit.redisPrefix).toBe("shop1:rl:")
  })

  it("puts uploaded files' URLs on the port the server listens on", () => {
    expect(loadAppConfig({}).fileBackendUrl).toBe("http://localhost:9000/static")
    expect(loadAppConfig({ PORT: "9400" }).fileBackendUrl).toBe("http://localhost:9400/static")
    expect(loadAppConfig({ PORT: "9400", FILE_BACKEND_URL: "https://cdn.example.com/static" }).fileBackendUrl).toBe(
      "https://cdn.example.com/static"
    )
  })
})
