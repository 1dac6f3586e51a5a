import { defineConfig, loadEnv } from "@medusajs/framework/utils"

loadEnv(process.env.NODE_ENV || "development", process.cwd())

// Imported after loadEnv so that .env files are seen.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const appConfig = (require("./src/lib/config") as typeof import("./src/lib/config")).loadAppConfig()

const redisUrl = appConfig.redisUrl

// With REDIS_URL set, events, workflow state, caching and locks go through
// Redis so that several server instances can share them.
const redisModules = redisUrl
  ? [
      { resolve: "@medusajs/medusa/event-bus-redis", options: { redisUrl } },
      { resolve: "@medusajs/medusa/workflow-engine-redis", options: { redis: { redisUrl } } },
      { resolve: "@medusajs/medusa/cache-redis", options: { redisUrl } },
      {
        resolve: "@medusajs/medusa/locking",
        options: {
          providers: [
            { resolve: "@medusajs/medusa/locking-redis", id: "locking-redis", is_default: true, options: { redisUrl } },
          ],
        },
      },
    ]
  : []

module.exports = defineConfig({
  projectConfig: {
    databaseUrl: appConfig.databaseUrl,
    redisUrl,
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
  modules: [{ resolve: "./src/modules/brand" }, ...redisModules],
})
