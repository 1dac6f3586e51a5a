import { spawn } from "node:child_process"
import { createHash } from "node:crypto"
import { readdirSync, readFileSync, statSync } from "node:fs"
import { join, relative, resolve } from "node:path"
import { Client } from "pg"

// Migrating a fresh database takes 10-15 s; copying a migrated one takes well
// under a second. So the suite migrates one template database with
// `medusa db:migrate`, as a release would, and each spec's database is a copy
// of it (CREATE DATABASE ... TEMPLATE). The template's name carries a hash of
// everything that decides what the migration makes, so that a change to any of
// it builds a new one and an unchanged tree reuses the last.

const root = resolve(__dirname, "../..")
const medusaBin = resolve(root, "node_modules/.bin/medusa")
const PREFIX = "brand_graph_test_tpl_"
// Templates other checkouts made on the same server are kept this long after their last use.
const STALE_AFTER_MS = 24 * 3600_000
// Builds of one template wait for each other (pg_advisory_lock key).
const LOCK_KEY = 0x6272_616e

/** What the migration's outcome depends on: the dependencies, the config, and our modules, links, scripts and search definitions. */
const INPUTS = ["package-lock.json", "medusa-config.ts", "src/lib", "src/links", "src/migration-scripts", "src/modules", "src/search"]

function server() {
  return {
    host: process.env.DB_HOST || "localhost",
    port: Number(process.env.DB_PORT || 5432),
    user: process.env.DB_USERNAME || "postgres",
    password: process.env.DB_PASSWORD || "",
  }
}

/** postgres:// URL of a database on the server that DB_* name. */
export function databaseUrl(database: string): string {
  const { host, port, user, password } = server()
  const auth = password ? `${encodeURIComponent(user)}:${encodeURIComponent(password)}` : encodeURIComponent(user)
  return `postgres://${auth}@${host}:${port}/${database}`
}

function files(path: string): string[] {
  const full = resolve(root, path)
  if (!statSync(full, { throwIfNoEntry: false })) return []
  if (!statSync(full).isDirectory()) return [path]
  return readdirSync(full)
    .filter((name) => name !== "__tests__" && !/\.spec\.[jt]s$/.test(name))
    .sort()
    .flatMap((name) => files(relative(root, join(full, name))))
}

/** The template's name for the tree as it is now. */
export function templateName(): string {
  const hash = createHash("sha256")
  for (const file of INPUTS.flatMap(files)) hash.update(file).update("\0").update(readFileSync(resolve(root, file))).update("\0")
  return PREFIX + hash.digest("hex").slice(0, 16)
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`

async function onServer<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ ...server(), database: "postgres" })
  await client.connect()
  try {
    return await work(client)
  } finally {
    await client.end()
  }
}

/** `medusa db:migrate` against one database; fails with its output. */
function migrate(database: string): Promise<void> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: databaseUrl(database), NODE_ENV: "test", MEDUSA_DISABLE_TELEMETRY: "true" }
  // The template is the plain configuration's: no Redis modules, the default log level.
  for (const key of ["DB_HOST", "DB_PORT", "DB_USERNAME", "DB_PASSWORD", "DB_TEMP_NAME", "REDIS_URL", "LOG_LEVEL"]) delete env[key]
  return new Promise((ok, fail) => {
    const child = spawn(medusaBin, ["db:migrate"], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] })
    let output = ""
    child.stdout!.on("data", (d) => (output += d))
    child.stderr!.on("data", (d) => (output += d))
    child.on("error", fail)
    child.on("exit", (code) => (code === 0 ? ok() : fail(new Error(`medusa db:migrate for the test template exited with ${code}:\n${output.slice(-4000)}`))))
  })
}

let ready: Promise<string> | undefined

/**
 * The migrated template for the tree as it is, built once; later calls (and
 * other processes, through an advisory lock) reuse it.
 */
export function templateDatabase(): Promise<string> {
  ready ??= onServer(async (client) => {
    const name = templateName()
    await client.query("select pg_advisory_lock($1)", [LOCK_KEY])
    try {
      const exists = await client.query("select 1 from pg_database where datname = $1", [name])
      if (!exists.rowCount) {
        const building = `${name}_build_${process.pid}`
        await client.query(`drop database if exists ${quote(building)} with (force)`)
        await client.query(`create database ${quote(building)}`)
        try {
          await migrate(building)
          await client.query(`alter database ${quote(building)} rename to ${quote(name)}`)
        } catch (error) {
          await client.query(`drop database if exists ${quote(building)} with (force)`)
          throw error
        }
        // A template nobody connects to: every copy starts from the same state.
        await client.query(`alter database ${quote(name)} with is_template true allow_connections false`)
        await dropStaleTemplates(client, name)
      }
      await client.query(`comment on database ${quote(name)} is ${quoteLiteral(`used ${new Date().toISOString()}`)}`)
      return name
    } finally {
      await client.query("select pg_advisory_unlock($1)", [LOCK_KEY])
    }
  })
  ready.catch(() => (ready = undefined))
  return ready
}

const quoteLiteral = (text: string) => `'${text.replace(/'/g, "''")}'`

/** Other trees' templates (and broken builds) unused for a day. */
async function dropStaleTemplates(client: Client, keep: string) {
  const { rows } = await client.query<{ datname: string; used: string | null }>(
    `select d.datname, shobj_description(d.oid, 'pg_database') as used from pg_database d where d.datname like $1`,
    [`${PREFIX}%`]
  )
  for (const { datname, used } of rows) {
    if (datname === keep) continue
    const at = Date.parse(used?.replace(/^used /, "") ?? "")
    if (Number.isFinite(at) && Date.now() - at < STALE_AFTER_MS) continue
    await client.query(`alter database ${quote(datname)} with is_template false`)
    await client.query(`drop database if exists ${quote(datname)} with (force)`)
  }
}

/** A new database `name`, a copy of the migrated template (an older one of that name is dropped). */
export async function cloneTemplateDatabase(name: string): Promise<void> {
  const template = await templateDatabase()
  await onServer(async (client) => {
    await client.query(`drop database if exists ${quote(name)} with (force)`)
    await client.query(`create database ${quote(name)} template ${quote(template)}`)
  })
}

export async function dropDatabase(name: string): Promise<void> {
  await onServer((client) => client.query(`drop database if exists ${quote(name)} with (force)`))
}
