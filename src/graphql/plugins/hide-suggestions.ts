import { GraphQLError } from "graphql"
import type { Plugin } from "graphql-yoga"

/** graphql-js's hints: `Did you mean "name"?`, `Did you mean "a" or "b"?`, `Did you mean the enum value "ASC"?`. */
const SUGGESTION = /Did you mean [^?]*\?/g

/** What stands where a hint was, as graphql-armor writes it. */
export const SUGGESTION_HIDDEN = "[Suggestion hidden]"

function hide<T>(error: T): T {
  if (error instanceof GraphQLError && SUGGESTION.test(error.message)) {
    SUGGESTION.lastIndex = 0
    error.message = error.message.replace(SUGGESTION, SUGGESTION_HIDDEN)
  }
  return error
}

/**
 * Hides the names graphql-js suggests for a mistyped field, argument, input
 * field or enum value, where introspection is off and they would reveal the
 * schema. graphql-armor's blockFieldSuggestion covers validation only, and
 * not enum values; variables are checked at execution, so both are covered
 * here.
 */
export function hideSuggestions(): Plugin {
  return {
    onValidate() {
      return ({ result, setResult }) => {
        if (result.length) setResult(result.map(hide))
      }
    },
    onExecute() {
      return {
        onExecuteDone({ result }) {
          // A stream (subscriptions, @defer) has no variable errors of its own: those come before it starts.
          if ("errors" in result && result.errors) result.errors.forEach(hide)
        },
      }
    },
  }
}
