import { loadAppConfig } from "../config"

describe("loadAppConfig", () => {
  it("has defaults that let npm start work with nothing set", () => {
    const config = loadAppConfig({})
    expect(config.graphql).toMatchObject({ maxDepth: 8, maxAliases: 15, maxCost: 50000, maxTokens: 2000 })
    expect(config.queryCache).toMatchObject({ enabled: true, ttl: 60 })
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
    ]) {
      expect(() => loadAppConfig({ [name]: value })).toThrow(new RegExp(`${name} must be a positive whole number`))
    }
    expect(loadAppConfig({ GRAPHQL_MAX_COST: " 1200 " }).graphql.maxCost).toBe(1200)
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
})
