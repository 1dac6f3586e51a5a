import { GraphQLError } from "graphql"
import { maskError as yogaMaskError } from "graphql-yoga"
import { CatalogAccessError, CatalogInputError } from "../catalog/errors"
import { UNAVAILABLE_ANSWER, unavailableService } from "../lib/unavailable"
import { withRequestId } from "../lib/request-id"
import { isStatementTimeout } from "../lib/statement-timeout"

export type Logger = { error: (message: string) => void; warn: (message: string) => void }

/**
 * What a caller sees of an error that is not meant for clients: Yoga's
 * "Unexpected error." with the path, in every mode (in development Yoga would
 * add the original message and stack, which can hold SQL). Such errors are
 * logged with their stack; errors with a code of their own are the caller's
 * and are not logged. The catalog's input and access errors get their codes
 * (BAD_USER_INPUT, PUBLISHABLE_KEY_*). A statement PostgreSQL cancelled at
 * its timeout is answered as QUERY_TIMEOUT, and an error that only says
 * PostgreSQL or Redis is out of reach (down, restarting, no connection in
 * time) as DATABASE_UNAVAILABLE or REDIS_UNAVAILABLE (503), each logged as
 * one line. Log
 * lines start with the request's id (X-Request-Id), so that a caller's report
 * finds them.
 */
export function maskErrors(logger: Logger) {
  return (error: unknown, message: string): Error => {
    const original = (error as { originalError?: Error }).originalError ?? error
    const at = error instanceof GraphQLError ? error : undefined
    const located = (message: string, extensions: Record<string, unknown>) =>
      new GraphQLError(message, { nodes: at?.nodes, source: at?.source, positions: at?.positions, path: at?.path, extensions })
    if (original instanceof CatalogInputError) {
      return located(original.message, { code: "BAD_USER_INPUT", ...(original.argument ? { argument: original.argument } : {}) })
    }
    if (original instanceof CatalogAccessError) return located(original.message, { code: original.code })
    if (isStatementTimeout(original)) {
      logger.warn(withRequestId(`GraphQL: a statement reached the statement timeout${at?.path ? ` at ${at.path.join(".")}` : ""}.`))
      return located("The read took too long and was stopped; narrow the filter or ask for a smaller page.", {
        code: "QUERY_TIMEOUT",
        http: { status: 503 },
      })
    }
    const unavailable = unavailableService(original)
    if (unavailable) {
      const { code, message } = UNAVAILABLE_ANSWER[unavailable]
      logger.warn(withRequestId(`GraphQL: ${unavailable} unavailable${at?.path ? ` at ${at.path.join(".")}` : ""} (${(original as Error)?.message ?? original}).`))
      return located(message, { code, http: { status: 503 } })
    }
    if (!(original as { extensions?: unknown }).extensions) {
      logger.error(withRequestId(`GraphQL: ${(original as Error)?.stack ?? String(original)}`))
    }
    return yogaMaskError(error, message, false)
  }
}
