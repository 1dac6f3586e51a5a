import { GraphQLError } from "graphql"

/** The client sent something the API cannot take (bad cursor, page size, ...). */
export function badUserInput(message: string, argument?: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: "BAD_USER_INPUT", ...(argument ? { argument } : {}) },
  })
}

/** A write without an authenticated admin. */
export function unauthenticated(): GraphQLError {
  return new GraphQLError("Authentication required: send an admin bearer token, session cookie or secret API key.", {
    extensions: { code: "UNAUTHENTICATED" },
  })
}

/** An Authorization header whose token or API key is not valid. */
export function invalidCredentials(): GraphQLError {
  return new GraphQLError("The credentials sent are not valid (expired or unknown token or API key).", {
    extensions: { code: "UNAUTHENTICATED", http: { status: 401 } },
  })
}
