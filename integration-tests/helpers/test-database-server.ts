/** The PostgreSQL server every test uses (DB_*, as Medusa's test runner reads them). */
export function testDatabaseServer() {
  return {
    host: process.env.DB_HOST || "localhost",
    port: Number(process.env.DB_PORT || 5432),
    user: process.env.DB_USERNAME || "postgres",
    password: process.env.DB_PASSWORD || "",
  }
}

/** The URL of `database` on that server, for servers a spec starts itself (DATABASE_URL). */
export function testDatabaseUrl(database: string): string {
  const { host, port, user, password } = testDatabaseServer()
  return `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${host}:${port}/${database}`
}
