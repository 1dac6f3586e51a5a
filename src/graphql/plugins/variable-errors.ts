import { GraphQLError } from "graphql"
import type { Plugin } from "graphql-yoga"

/** graphql-js's message for a variable whose value does not fit its type. */
const VARIABLE_ERROR = /^Variable "\$[^"]+" (got invalid value|of required type|of non-null type)/

/**
 * Gives the errors of variables that do not fit their types (a required
 * input field missing, null in a list of non-null items, a string for an
 * Int) the code of any other bad argument, BAD_USER_INPUT, with the
 * variable's name as `argument`. graphql-js reports them without a code
 * before anything runs.
 */
export function variableErrorCodes(): Plugin {
  return {
    onExecute() {
      return {
        onExecuteDone({ result, setResult }) {
          // A stream (subscriptions, @defer) has no variable errors of its own: those come before it starts.
          if (!("errors" in result) || !result.errors?.length || result.data) return
          setResult({ ...result, errors: result.errors.map(withCode) })
        },
      }
    },
  }
}

function withCode(error: GraphQLError): GraphQLError {
  if (error.extensions?.code || !VARIABLE_ERROR.test(error.message)) return error
  const variable = /^Variable "\$([^"]+)"/.exec(error.message)?.[1]
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    extensions: { ...error.extensions, code: "BAD_USER_INPUT", ...(variable ? { argument: variable } : {}) },
  })
}
