/**
 * Errors that say a backing service is out of reach right now, rather than
 * that a request was wrong: PostgreSQL or Redis is down or restarting, a
 * connection broke, or the pool gave no connection in time. Such a request
 * may succeed when retried; it is answered as DATABASE_UNAVAILABLE or
 * REDIS_UNAVAILABLE (503), never as an unexpected error.
 */
export type Unavailable = "database" | "redis"

/** SQLSTATEs: connection exceptions (class 08), shutdown or startup of the server, too many connections. */
const DATABASE_SQLSTATE = /^(08...|57P01|57P02|57P03|53300)$/

/** Socket errors of node-postgres while connecting or talking to the server. */
const SOCKET_ERRORS = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN"])

/**
 * Messages of node-postgres and knex that carry no code. A transaction knex
 * reports as already complete is one whose connection broke under it.
 */
const DATABASE_MESSAGE =
  /Connection terminated|Connection ended unexpectedly|is not queryable|Timeout acquiring a connection|Transaction query already complete|the database system is (shutting down|starting up)/i

/** What ioredis (and BullMQ through it) rejects a command with while Redis is out of reach. */
const REDIS_MESSAGE = /^(Connection is closed\.|Stream isn't writeable|Command timed out|Reached the max retries per request limit)/

type Wrapped = { code?: unknown; name?: unknown; message?: unknown; originalError?: unknown; cause?: unknown; errors?: unknown }

function classify(e: Wrapped): Unavailable | null {
  // Redis first: its socket errors carry the same codes as PostgreSQL's.
  if (e.name === "MaxRetriesPerRequestError" || (typeof e.message === "string" && REDIS_MESSAGE.test(e.message))) return "redis"
  if (typeof e.code === "string" && (DATABASE_SQLSTATE.test(e.code) || SOCKET_ERRORS.has(e.code))) return "database"
  if (e.name === "KnexTimeoutError" || e.name === "ConnectionException") return "database"
  if (typeof e.message === "string" && DATABASE_MESSAGE.test(e.message)) return "database"
  return null
}

/** Which service an error, or one it wraps, says is out of reach; null when it says something else. */
export function unavailableService(error: unknown): Unavailable | null {
  const seen = new Set<unknown>()
  const queue: unknown[] = [error]
  while (queue.length && seen.size < 16) {
    const e = queue.shift() as Wrapped | undefined
    if (!e || typeof e !== "object" || seen.has(e)) continue
    seen.add(e)
    const found = classify(e)
    if (found) return found
    queue.push(e.originalError, e.cause, ...(Array.isArray(e.errors) ? e.errors : []))
  }
  return null
}

/** How a REST or GraphQL caller is told: a code of its own per service, and a message without addresses. */
export const UNAVAILABLE_ANSWER = {
  database: { code: "DATABASE_UNAVAILABLE", message: "The database is unavailable; try again shortly." },
  redis: { code: "REDIS_UNAVAILABLE", message: "A backing service (Redis) is unavailable; try again shortly." },
} as const
