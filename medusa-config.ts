import { defineConfig, loadEnv } from "@medusajs/framework/utils"

loadEnv(process.env.NODE_ENV || "development", process.cwd())

// Imported after loadEnv so that .env files are seen.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const appConfig = (require("./src/lib/config") as typeof import("./src/lib/config")).loadAppConfig()

const redisUrl = appConfig.redisUrl
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { withStatementTimeout } = require("./src/lib/statement-timeout") as typeof import("./src/lib/statement-timeout")
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { SEARCH_SEED_PAGE_SIZE } = require("./src/search/product-index-names") as typeof import("./src/search/product-index-names")

// With REDIS_URL set, events, workflow state, cached reads and locks go
// through Redis so that several server instances can share them.
//
// ioredis holds a command while Redis is unreachable and retries it at each
// reconnect (20 times by default, two seconds apart once the outage lasts):
// a write would wait for half a minute before it failed. The connections that
// serve requests give up after one reconnect instead, so that requests fail
// fast (REDIS_UNAVAILABLE) within about a second. The event bus's
// connection does too on a server (MEDUSA_WORKER_MODE=server), which only
// adds events; where it also handles them (worker, shared), it keeps Medusa's
// setting, retrying until Redis is back, as its BullMQ worker requires.
const redisOptions = { maxRetriesPerRequest: 1 }
const redisModules = redisUrl
  ? [
      {
        resolve: "@medusajs/medusa/event-bus-redis",
        options: { redisUrl, ...(appConfig.workerMode === "server" ? { redisOptions } : {}) },
      },
      { resolve: "@medusajs/medusa/workflow-engine-redis", options: { redis: { redisUrl, redisOptions } } },
      {
        resolve: "@medusajs/medusa/locking",
        options: {
          providers: [
            {
              resolve: "@medusajs/medusa/locking-redis",
              id: "locking-redis",
              is_default: true,
              options: { redisUrl, redisOptions },
            },
          ],
        },
      },
    ]
  : []

// Medusa's Caching Module: in this process's memory, or in Redis when several
// instances must see the same entries (and the same invalidations).
const { queryCache } = appConfig
const cachingModules = queryCache.enabled
  ? [
      {
        resolve: "@medusajs/medusa/caching",
        options: redisUrl
          ? {
              ttl: queryCache.ttl,
              providers: [
                {
                  resolve: "@medusajs/medusa/caching-redis",
                  id: "caching-redis",
                  is_default: true,
                  // After REDIS_PREFIX: Query's cache's part of the app's keys.
                  options: { redisUrl, redisOptions, ttl: queryCache.ttl, prefix: `${appConfig.redisPrefix}mc:` },
                },
              ],
            }
          : { ttl: queryCache.ttl, in_memory: { enable: true, ttl: queryCache.ttl } },
      },
    ]
  : []

// Medusa's default File Module (the local provider, which stores uploads in
// static/ and Medusa serves them at /static), with URLs on this server's port.
const fileModule = {
  resolve: "@medusajs/medusa/file",
  options: {
    providers: [
      { resolve: "@medusajs/medusa/file-local", id: "local", options: { backend_url: appConfig.fileBackendUrl } },
    ],
  },
}

// Medusa's Search Module, with the PostgreSQL provider (tsvector ranking and
// pg_trgm for typos and prefixes), as src/modules/search-postgres extends it to
// drop cached search answers once an index write has landed. Index
// definitions live in src/search/. To
// move to a dedicated engine, register its provider here and make it the
// default_provider; `npx medusa db:migrate` builds the indexes there and the
// module seeds them on the next boot.
const searchModule = {
  resolve: "@medusajs/medusa/search",
  options: {
    providers: [
      { resolve: "./src/modules/search-postgres", id: "postgres", options: { engine: "native", language: "english" } },
    ],
    // A full build writes as many documents at a time as it reads.
    reindex: { batch_size: SEARCH_SEED_PAGE_SIZE },
  },
}

// Medusa's Translation Module (behind its `translation` feature flag): the
// translated texts of products, variants, options, categories, collections
// and brands, served by @inContext(locale:) and /store/products?locale=.
const translationModule = { resolve: "@medusajs/medusa/translation" }
// Medusa's read-only link from the store's locales to the module's (which
// GET /store/locales reads) decides whether it exists when its file loads,
// from the flag's environment variable: set it as well.
process.env.MEDUSA_FF_TRANSLATION = "true"

module.exports = defineConfig({
  projectConfig: {
    // No statement of the app may hold a PostgreSQL backend past the limit.
    databaseUrl: withStatementTimeout(appConfig.databaseUrl, appConfig.statementTimeoutMs),
    redisUrl,
    // server, worker or shared (MEDUSA_WORKER_MODE): see docs/operations.md, Production layout.
    workerMode: appConfig.workerMode,
    http: {
      storeCors: appConfig.storeCors,
      adminCors: appConfig.adminCors,
      authCors: appConfig.authCors,
      jwtSecret: appConfig.jwtSecret,
      cookieSecret: appConfig.cookieSecret,
    },
  },
  // This product is an API: no admin dashboard.
  admin: { disable: true },
  featureFlags: { caching: queryCache.enabled, translation: true },
  modules: [
    { resolve: "./src/modules/brand", options: { metadata: appConfig.metadata } },
    fileModule,
    searchModule,
    translationModule,
    ...redisModules,
    ...cachingModules,
  ],
})
