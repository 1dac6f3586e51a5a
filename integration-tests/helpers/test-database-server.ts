import { Client } from "pg"

/** The PostgreSQL server every test uses (DB_*, as Medusa's test runner reads them). */
export function testDatabaseServer() {
  return {
    host: process.env.DB_HOST || "localhost",
    port: Number(process.env.DB_PORT || 5432),
    user: process.env.DB_USERNAME || "postgres",
    password: process.env.DB_PASSWORD || "",
  }
}

/** The URL of `database` on that server, for servers a spec starts itself (DATABASE_URL). */
export function testDatabaseUrl(database: string): string {
  const { host, port, user, password } = testDatabaseServer()
  return `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${host}:${port}/${database}`
}

/** Drops `database` from that server, whoever is still connected to it. */
export async function dropTestDatabase(database: string): Promise<void> {
  const postgres = new Client({ ...testDatabaseServer(), database: "postgres" })
  await postgres.connect()
  try {
    await postgres.query(`drop database if exists ${database} with (force)`)
  } finally {
    await postgres.end()
  }
}
