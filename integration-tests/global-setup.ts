import { readdirSync } from "node:fs"
import { resolve } from "node:path"
import { templateDatabase } from "./helpers/template-database"

// Builds the migrated template database once, before any worker starts, when
// the run includes a spec that boots Medusa (otherwise the first such spec
// builds it). See helpers/template-database.ts.
module.exports = async function globalSetup(globalConfig: { testPathPattern?: string }) {
  if (process.env.TEST_TYPE && process.env.TEST_TYPE !== "integration:http") return
  const dir = resolve(__dirname, "http")
  const pattern = new RegExp(globalConfig.testPathPattern || ".", "i")
  const specs = readdirSync(dir).map((name) => resolve(dir, name))
  if (!specs.some((path) => pattern.test(path))) return
  await templateDatabase()
}
