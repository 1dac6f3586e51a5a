// `npm test`: the whole suite against a real PostgreSQL.
//
// Uses the server that DB_HOST (with DB_PORT, DB_USERNAME, DB_PASSWORD) or
// DATABASE_URL names; otherwise boots an embedded PostgreSQL for the run.
// Extra arguments go to jest (e.g. `npm test -- integration-tests/http/brands`).
import { spawn } from "node:child_process"
import { resolve } from "node:path"
import { startEmbeddedPostgres } from "./embedded-postgres.mjs"

const root = resolve(import.meta.dirname, "..")
const env = { ...process.env, MEDUSA_DISABLE_TELEMETRY: "true", NODE_ENV: "test" }
let postgres = null

if (!env.DB_HOST && env.DATABASE_URL) {
  const url = new URL(env.DATABASE_URL)
  env.DB_HOST = url.hostname
  env.DB_PORT = url.port || "5432"
  env.DB_USERNAME = decodeURIComponent(url.username || "postgres")
  env.DB_PASSWORD = decodeURIComponent(url.password || "")
}
if (!env.DB_HOST) {
  const port = Number(env.EMBEDDED_PG_TEST_PORT || 54330)
  postgres = await startEmbeddedPostgres({
    dir: resolve(root, ".data/test-postgres"),
    port,
    database: "postgres",
    // A cluster for tests only: nothing in it has to survive a crash. Without
    // fsync, the checkpoint that every DROP DATABASE forces (Medusa's runner
    // drops and copies a spec's database before each test) costs next to nothing.
    settings: { fsync: "off", synchronous_commit: "off", full_page_writes: "off" },
  })
  Object.assign(env, {
    DB_HOST: "localhost",
    DB_PORT: String(port),
    DB_USERNAME: postgres.user,
    DB_PASSWORD: postgres.password,
  })
  console.log(`Embedded PostgreSQL for tests on localhost:${port}.`)
}
// Medusa's test runner turns SSL on for any host that is not "localhost".
if (env.DB_HOST === "127.0.0.1" || env.DB_HOST === "::1") env.DB_HOST = "localhost"
// The app reads DATABASE_URL; the runner makes a database per test file from DB_*.
delete env.DATABASE_URL

const jest = spawn(
  process.execPath,
  [
    "--experimental-vm-modules",
    resolve(root, "node_modules/jest/bin/jest.js"),
    "--ci",
    // Two specs at a time: each boots its own Medusa on its own database and
    // ports, and most of a spec's time is spent waiting on PostgreSQL.
    `--maxWorkers=${env.TEST_WORKERS || 2}`,
    // Specs run with REDIS_URL leave connections open that no shutdown closes:
    // Medusa's caching-redis provider opens one at load and has no shutdown
    // hook. Without this, jest would wait for them forever once the run is over.
    "--forceExit",
    ...process.argv.slice(2),
  ],
  { cwd: root, env, stdio: "inherit" }
)

// Stop jest on SIGINT/SIGTERM; the embedded PostgreSQL is stopped below once it exited.
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => jest.kill(signal))

const code = await new Promise((r) => jest.on("exit", (c, s) => r(c ?? (s ? 1 : 0))))
if (postgres) await postgres.stop()
process.exit(code)
