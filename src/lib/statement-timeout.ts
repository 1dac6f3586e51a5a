/** PostgreSQL's SQLSTATE for a statement cancelled by statement_timeout (or a cancel request). */
export const QUERY_CANCELED = "57014"

/** Medusa commands that change the schema (migrations): they may run as long as they need. */
const SCHEMA_COMMANDS = /^db:/

/**
 * The database URL with PostgreSQL's `statement_timeout` (milliseconds) for
 * every connection made from it: node-postgres sends URL parameters it knows
 * as the session's settings, so no statement of the app holds a backend past
 * it, and PostgreSQL cancels one that would (SQLSTATE 57014). The URL is left
 * as it is for 0, for `medusa db:*` commands, and when it sets a timeout of
 * its own.
 */
export function withStatementTimeout(url: string, ms: number, argv: string[] = process.argv): string {
  if (ms <= 0 || argv.some((arg) => SCHEMA_COMMANDS.test(arg))) return url
  const parsed = new URL(url)
  if (parsed.searchParams.has("statement_timeout")) return url
  parsed.searchParams.set("statement_timeout", String(ms))
  return parsed.toString()
}

/** Whether an error, or one it wraps, is a statement PostgreSQL cancelled. */
export function isStatementTimeout(error: unknown): boolean {
  let e = error as { code?: unknown; originalError?: unknown; cause?: unknown } | undefined
  for (let hops = 0; e && hops < 8; hops++) {
    if (e.code === QUERY_CANCELED) return true
    e = (e.originalError ?? e.cause) as typeof e
  }
  return false
}
