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

