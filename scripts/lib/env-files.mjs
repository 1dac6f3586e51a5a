import { existsSync } from "node:fs"
import { resolve } from "node:path"

/**
 * Loads the same .env files medusa-config.ts does (.env.<NODE_ENV> for
 * staging, production and test, then .env) into process.env, so that a
 * DATABASE_URL kept there is seen by the scripts too. Variables already set win.
 */
export function loadEnvFiles(root) {
  const files = ["staging", "production", "test"].includes(process.env.NODE_ENV) ? [`.env.${process.env.NODE_ENV}`] : []
  for (const file of [...files, ".env"]) {
    const path = resolve(root, file)
    if (existsSync(path)) process.loadEnvFile(path)
  }
}
