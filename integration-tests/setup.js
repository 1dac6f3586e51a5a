// Each test file boots Medusa anew; MikroORM keeps entity metadata globally,
// so clear it to start from a clean slate.
const { MetadataStorage } = require("@medusajs/framework/mikro-orm/core")

MetadataStorage.clear()

// The servers the specs boot log every request, migration and event: quiet
// them so that a run shows what failed (TEST_LOG_LEVEL=info to read them).
// Set on the logger, not through LOG_LEVEL: processes a spec starts itself
// inherit the environment and are read for their log lines.
const { logger } = require("@medusajs/framework/logger")

logger.setLogLevel(process.env.TEST_LOG_LEVEL || "error")

// Medusa's runner resets a spec's database before each test by ending every
// connection to it; knex reports each ended connection of the app's pool on
// the console. Expected, so not shown.
const log = console.log
console.log = (...args) => {
  if (typeof args[0] === "string" && /^Connection Error: .*Connection ended unexpectedly/.test(args[0])) return
  log(...args)
}
