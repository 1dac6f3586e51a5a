import { createPgConnection } from "@medusajs/framework/utils"
import type { Knex } from "@medusajs/framework/mikro-orm/knex"
import { Client } from "pg"

/**
 * A database of its own, on the server named by DB_* (as for every test), for
 * a spec that runs SQL without booting Medusa; `drop` closes it and drops it.
 */
export async function scratchDatabase(prefix: string): Promise<{ db: Knex; drop(): Promise<void> }> {
  const server = {
    host: process.env.DB_HOST ?? "localhost",
    port: Number(process.env.DB_PORT ?? 5432),
    user: process.env.DB_USERNAME ?? "postgres",
    password: process.env.DB_PASSWORD ?? "",
  }
  const database = `${prefix}_${process.pid}_${Date.now()}`
  const onAdmin = async (sql: string) => {
    const client = new Client({ ...server, database: "postgres" })
    await client.connect()
    try {
      await client.query(sql)
    } finally {
      await client.end()
    }
  }
  await onAdmin(`create database "${database}"`)
  const auth = server.password ? `${server.user}:${encodeURIComponent(server.password)}` : server.user
  const db = createPgConnection({ clientUrl: `postgres://${auth}@${server.host}:${server.port}/${database}` } as any)
  return {
    db,
    async drop() {
      await db.destroy()
      await onAdmin(`drop database if exists "${database}"`)
    },
  }
}
