import { unavailableService } from "../unavailable"
import { failFastPool } from "../database-pool"

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code })

describe("unavailableService", () => {
  it("names PostgreSQL for connection failures, shutdowns and an exhausted pool, however deeply wrapped", () => {
    for (const error of [
      withCode("connect ECONNREFUSED 127.0.0.1:5432", "ECONNREFUSED"),
      withCode("terminating connection due to administrator command", "57P01"),
      withCode("the database system is starting up", "57P03"),
      withCode("connection failure", "08006"),
      new Error("Connection terminated unexpectedly"),
      new Error("Transaction query already complete, run with DEBUG=knex:tx for more info"),
      Object.assign(new Error("Knex: Timeout acquiring a connection. The pool is probably full."), { name: "KnexTimeoutError" }),
    ]) {
      expect(unavailableService(error)).toBe("database")
      expect(unavailableService({ message: "workflow failed", originalError: { cause: error } })).toBe("database")
      expect(unavailableService({ errors: [{ error: "x" }, error] })).toBe("database")
    }
  })

  it("names Redis for what ioredis rejects commands with while it is out of reach", () => {
    expect(unavailableService(Object.assign(new Error("Reached the max retries per request limit (which is 1)."), { name: "MaxRetriesPerRequestError" }))).toBe("redis")
    expect(unavailableService(new Error("Connection is closed."))).toBe("redis")
    expect(unavailableService({ cause: new Error("Stream isn't writeable and enableOfflineQueue options is false") })).toBe("redis")
  })

  it("leaves every other error alone: bad statements, bad input, timeouts of a statement", () => {
    expect(unavailableService(withCode('relation "brand" does not exist', "42P01"))).toBeNull()
    expect(unavailableService(withCode("duplicate key value violates unique constraint", "23505"))).toBeNull()
    expect(unavailableService(withCode("canceling statement due to statement timeout", "57014"))).toBeNull()
    expect(unavailableService(new Error("Brand with id: brand_1 was not found"))).toBeNull()
    expect(unavailableService(undefined)).toBeNull()
    // A cycle of wrapped errors ends.
    const a: any = new Error("a")
    a.cause = { originalError: a }
    expect(unavailableService(a)).toBeNull()
  })
})

describe("failFastPool", () => {
  it("makes a failed connect fail a waiting request and bounds the wait for a connection", () => {
    const pool = { propagateCreateError: false, acquireTimeoutMillis: 60000 }
    expect(failFastPool({ client: { pool } }, 2500)).toBe(true)
    expect(pool).toEqual({ propagateCreateError: true, acquireTimeoutMillis: 2500 })
    expect(failFastPool({ client: {} }, 2500)).toBe(false)
    expect(failFastPool(undefined, 2500)).toBe(false)
  })
})
