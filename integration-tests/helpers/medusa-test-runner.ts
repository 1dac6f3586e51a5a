import { resolve } from "node:path"
import { cloneTemplateDatabase } from "./template-database"

// jest.config.js maps "@medusajs/test-utils" here, so specs import the runner
// as Medusa documents it. The package itself, by its path (the mapping would
// send its name back here).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const testUtils = require(resolve(__dirname, "../../node_modules/@medusajs/test-utils")) as typeof import("@medusajs/test-utils")

module.exports = { ...testUtils, medusaIntegrationTestRunner }

/**
 * Medusa's runner, on a database that is a copy of the migrated template: the
 * runner's own migration then finds nothing to do. Registered before the
 * runner's describe block, this beforeAll runs before the runner's.
 */
function medusaIntegrationTestRunner(options: Parameters<typeof testUtils.medusaIntegrationTestRunner>[0]) {
  const dbName = options.dbName ?? `brand_graph_test_${process.env.JEST_WORKER_ID ?? 1}_${Date.now().toString(36)}`
  // Long enough to build the template when jest's global setup did not (it waits for a build under way).
  beforeAll(() => cloneTemplateDatabase(dbName), 10 * 60_000)
  return testUtils.medusaIntegrationTestRunner({ ...options, dbName })
}
