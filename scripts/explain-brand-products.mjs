// `npm run bench:explain`: how many rows the Brand.products plan reads, on a
// catalog of 10,000 products over 200 brands (EXPLAIN ANALYZE). Seeds straight
// into a database of its own (an embedded PostgreSQL in .data/explain-postgres,
// or EXPLAIN_DATABASE_URL), migrated by `medusa db:migrate`, then runs
// src/scripts/explain-brand-products.ts through `medusa exec`.
import { spawn } from "node:child_process"
import { resolve } from "node:path"
import { startEmbeddedPostgres } from "./embedded-postgres.mjs"

const root = resolve(import.meta.dirname, "..")
let postgres = null
let url = process.env.EXPLAIN_DATABASE_URL
if (!url) {
  postgres = await startEmbeddedPostgres({
    dir: resolve(root, ".data/explain-postgres"),
    port: Number(process.env.EXPLAIN_PG_PORT || 54332),
    database: "explain",
  })
  url = postgres.url
}

const medusa = (args) =>
  new Promise((ok, fail) => {
    const child = spawn(resolve(root, "node_modules/.bin/medusa"), args, {
      cwd: root,
      env: { ...process.env, DATABASE_URL: url, MEDUSA_DISABLE_TELEMETRY: "true", LOG_LEVEL: "error" },
      stdio: ["ignore", args[0] === "exec" ? "inherit" : "ignore", "inherit"],
    })
    child.on("exit", (code) => (code === 0 ? ok() : fail(new Error(`medusa ${args[0]} exited with ${code}`))))
  })

try {
  await medusa(["db:migrate"])
  await medusa(["exec", "./src/scripts/explain-brand-products.ts"])
} finally {
  if (postgres) await postgres.stop()
}
