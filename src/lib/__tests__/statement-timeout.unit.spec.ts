import { isStatementTimeout, withStatementTimeout } from "../statement-timeout"

describe("statement timeout", () => {
  const serve = ["node", "medusa", "start"]

  it("adds statement_timeout to the database URL of the server, keeping what the URL says", () => {
    expect(withStatementTimeout("postgres://u:p@db:5432/shop", 5000, serve)).toBe(
      "postgres://u:p@db:5432/shop?statement_timeout=5000"
    )
    expect(withStatementTimeout("postgres://db/shop?sslmode=require", 250, serve)).toBe(
      "postgres://db/shop?sslmode=require&statement_timeout=250"
    )
    // The URL's own setting wins; 0 means no timeout.
    expect(withStatementTimeout("postgres://db/shop?statement_timeout=9000", 5000, serve)).toBe(
      "postgres://db/shop?statement_timeout=9000"
    )
    expect(withStatementTimeout("postgres://db/shop", 0, serve)).toBe("postgres://db/shop")
  })

  it("leaves migrations unbounded", () => {
    for (const command of ["db:migrate", "db:setup", "db:sync-links"]) {
      expect(withStatementTimeout("postgres://db/shop", 5000, ["node", "medusa", command])).toBe("postgres://db/shop")
    }
  })

  it("recognises a cancelled statement however deeply it is wrapped", () => {
    const pgError = Object.assign(new Error("canceling statement due to statement timeout"), { code: "57014" })
    expect(isStatementTimeout(pgError)).toBe(true)
    expect(isStatementTimeout({ originalError: { cause: pgError } })).toBe(true)
    expect(isStatementTimeout(Object.assign(new Error("duplicate key"), { code: "23505" }))).toBe(false)
    expect(isStatementTimeout(undefined)).toBe(false)
  })
})
