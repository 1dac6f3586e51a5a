import { GraphQLError } from "graphql"
import { maskErrors } from "../mask-errors"

function logger() {
  const lines = { error: [] as string[], warn: [] as string[] }
  return { lines, log: { error: (m: string) => lines.error.push(m), warn: (m: string) => lines.warn.push(m) } }
}

/** An error as graphql-js hands it to the mask: located, wrapping what a resolver threw. */
const located = (original: Error) =>
  new GraphQLError(original.message, { path: ["products"], originalError: original })

describe("maskErrors", () => {
  // Yoga adds the original message and stack in development mode; SQL would travel in them.
  const previous = process.env.NODE_ENV
  beforeAll(() => (process.env.NODE_ENV = "development"))
  afterAll(() => (process.env.NODE_ENV = previous))

  it("shows callers no SQL and no stack in any mode, and logs the stack", () => {
    const { lines, log } = logger()
    const sqlError = new Error('select "p"."id" from "product" as "p" - invalid input syntax for type timestamp')
    const masked = maskErrors(log)(located(sqlError), "Unexpected error.") as GraphQLError
    expect(masked.message).toBe("Unexpected error.")
    expect(masked.path).toEqual(["products"])
    expect(JSON.stringify(masked.toJSON())).not.toMatch(/select|stack|timestamp/)
    expect(lines.error).toHaveLength(1)
    expect(lines.error[0]).toContain(sqlError.stack)
  })

  it("answers PostgreSQL or Redis out of reach as DATABASE_UNAVAILABLE or REDIS_UNAVAILABLE (503), logged as one line", () => {
    const { lines, log } = logger()
    const refused = Object.assign(new Error("connect ECONNREFUSED 10.0.0.5:5432"), { code: "ECONNREFUSED" })
    const masked = maskErrors(log)(located(refused), "Unexpected error.") as GraphQLError
    expect(masked.extensions).toEqual({ code: "DATABASE_UNAVAILABLE", http: { status: 503 } })
    // No address, no driver message.
    expect(masked.message).toBe("The database is unavailable; try again shortly.")
    expect(masked.path).toEqual(["products"])
    const redis = maskErrors(log)(located(new Error("Connection is closed.")), "Unexpected error.") as GraphQLError
    expect(redis.extensions).toEqual({ code: "REDIS_UNAVAILABLE", http: { status: 503 } })
    expect(lines.error).toEqual([])
    expect(lines.warn).toEqual([
      "GraphQL: database unavailable at products (connect ECONNREFUSED 10.0.0.5:5432).",
      "GraphQL: redis unavailable at products (Connection is closed.).",
    ])
  })

  it("answers a statement cancelled at its timeout as QUERY_TIMEOUT, logged as one line", () => {
    const { lines, log } = logger()
    const cancelled = Object.assign(new Error("canceling statement due to statement timeout"), { code: "57014" })
    const masked = maskErrors(log)(located(cancelled), "Unexpected error.") as GraphQLError
    expect(masked.extensions).toEqual({ code: "QUERY_TIMEOUT", http: { status: 503 } })
    expect(masked.message).not.toMatch(/cancel|statement/)
    expect(masked.path).toEqual(["products"])
    expect(lines.error).toEqual([])
    expect(lines.warn).toEqual(["GraphQL: a statement reached the statement timeout at products."])
  })

  it("logs nothing for errors that carry a code of their own (the caller's input)", () => {
    const { lines, log } = logger()
    maskErrors(log)(located(new GraphQLError("bad", { extensions: { code: "BAD_USER_INPUT" } })), "Unexpected error.")
    expect(lines.error).toEqual([])
  })
})
