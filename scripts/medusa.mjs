// `npm run medusa -- <command> [args]`: the medusa CLI against npm start's
// database, e.g. `npm run medusa -- user -e me@example.com -p secret` or
// `npm run medusa -- db:migrate`.
//
// With DATABASE_URL set (in the environment or .env) it runs medusa as is.
// Otherwise it uses npm start's embedded PostgreSQL (EMBEDDED_PG_DIR,
// EMBEDDED_PG_PORT): the running one while npm start runs, else it starts the
// cluster for the command and stops it afterwards.
import { spawn } from "node:child_process"
import { existsSync, readFileSync } from "node:fs"
import { join, resolve } from "node:path"
import { embeddedPostgresUrl, isClusterRunning, runningClusterPort, startClusterSettings, startEmbeddedPostgres } from "./embedded-postgres.mjs"
import { loadEnvFiles } from "./lib/env-files.mjs"

const root = resolve(import.meta.dirname, "..")
loadEnvFiles(root)

const args = process.argv.slice(2)
if (!args.length) {
  console.error("Usage: npm run medusa -- <command> [args]   (npm run medusa -- --help lists the commands)")
  process.exit(2)
}
const env = { ...process.env, MEDUSA_DISABLE_TELEMETRY: process.env.MEDUSA_DISABLE_TELEMETRY ?? "true" }

let postgres = null
let child = null
let stopping = false

async function finish(code) {
  if (postgres) await postgres.stop()
  process.exit(code)
}

// Ctrl-C reaches medusa too (same process group); a SIGTERM is passed on.
// Either way the cluster is stopped once medusa has exited.
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    stopping = true
    if (child) child.kill(signal)
    else void finish(130)
  })
}

try {
  const cluster = startClusterSettings(root, env)
  if (env.DATABASE_URL) {
    // A URL of the embedded cluster without its password would fail deep in medusa, with a stack.
    let url = null
    try {
      url = new URL(env.DATABASE_URL)
    } catch {}
    if (url && /^(localhost|127\.0\.0\.1|\[::1\])$/.test(url.hostname) && Number(url.port) === cluster.port && !url.password) {
      throw new Error(
        `DATABASE_URL names npm start's embedded PostgreSQL (port ${cluster.port}) without a password. ` +
          `Unset DATABASE_URL (npm run medusa then finds that database itself), or set it to ${cluster.url}`
      )
    }
  } else {
    if (!existsSync(join(cluster.dir, "PG_VERSION"))) {
      throw new Error(`No database in ${cluster.shownDir} yet: run \`npm start\` once (it creates, migrates and seeds it).`)
    }
    // npm start may run it on another port (its own EMBEDDED_PG_PORT): use that one.
    const running = runningClusterPort(cluster.dir)
    if (running && running !== cluster.port && (await isClusterRunning(cluster.dir, running))) {
      Object.assign(cluster, { port: running, url: embeddedPostgresUrl(running, cluster.database) })
    } else if (!(await isClusterRunning(cluster.dir, cluster.port))) {
      postgres = await startEmbeddedPostgres({ dir: cluster.dir, port: cluster.port, database: cluster.database })
    }
    env.DATABASE_URL = cluster.url
    // The secrets npm start signs tokens with, so that `medusa start` accepts the same tokens.
    const secrets = `${cluster.dir}.secrets.json`
    if (existsSync(secrets)) {
      const kept = JSON.parse(readFileSync(secrets, "utf8"))
      env.JWT_SECRET ||= kept.JWT_SECRET
      env.COOKIE_SECRET ||= kept.COOKIE_SECRET
    }
    console.error(`medusa ${args.join(" ")} on the embedded PostgreSQL at localhost:${cluster.port}${postgres ? "" : " (npm start's)"}.`)
  }
  if (stopping) await finish(130)
  child = spawn(resolve(root, "node_modules/.bin/medusa"), args, { cwd: root, env, stdio: "inherit" })
  const code = await new Promise((r) => child.once("exit", (c, signal) => r(c ?? (signal ? 1 : 0))))
  child = null
  await finish(code)
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error))
  await finish(1)
}
