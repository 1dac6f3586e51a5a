import type { MedusaNextFunction, MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { loadAppConfig } from "./config"

/** The part of knex's connection pool (tarn) that decides how long a request waits for a connection. */
type TarnPool = { propagateCreateError: boolean; acquireTimeoutMillis: number }

/**
 * Makes the server's connection pool fail fast while PostgreSQL is out of
 * reach. Medusa builds its pool to wait for a connection up to knex's 60 s
 * acquire timeout and to retry failed connects quietly meanwhile
 * (`propagateCreateError: false`), so every request hangs for a minute while
 * the database restarts. Here a failed connect fails a waiting request at
 * once, and no request waits longer than `acquireTimeoutMs` for a
 * connection of a busy pool. Medusa's config offers neither setting, so
 * they are set on the pool itself. Returns whether a pool was found.
 */
export function failFastPool(knex: unknown, acquireTimeoutMs: number): boolean {
  const pool = (knex as { client?: { pool?: TarnPool } } | undefined)?.client?.pool
  if (!pool || typeof pool.acquireTimeoutMillis !== "number") return false
  pool.propagateCreateError = true
  pool.acquireTimeoutMillis = acquireTimeoutMs
  return true
}

let tuned = false

/**
 * Middleware: tunes the shared pool (failFastPool) on the first request a
 * server process handles, before anything of it reaches the database.
 */
export function boundDatabasePool(req: MedusaRequest, _res: MedusaResponse, next: MedusaNextFunction) {
  if (!tuned) {
    tuned = true
    failFastPool(req.scope.resolve(ContainerRegistrationKeys.PG_CONNECTION), loadAppConfig().databaseAcquireTimeoutMs)
  }
  next()
}
