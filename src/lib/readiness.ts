import Redis from "ioredis"
import pg from "pg"

/** One dependency's state: up, or down (it failed, or gave no answer in time). */
export type CheckResult = { status: "up" | "down"; latencyMs: number; error?: "timeout" | "failed" }

/** Asks a dependency whether it answers. */
export type Check = { name: string; ping: () => Promise<unknown> }

export type Readiness = { status: "ready" | "unavailable"; checks: Record<string, CheckResult> }

/** Runs `ping`, given at most `timeoutMs`; the cause of a failure goes to `onFailure`, not to the caller. */
async function runCheck(check: Check, timeoutMs: number, onFailure: (check: string, cause: string) => void): Promise<CheckResult> {
  const started = performance.now()
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), timeoutMs)
  })
  const latency = () => Math.round(performance.now() - started)
  try {
    const answer = await Promise.race([check.ping().then(() => "up" as const), timeout])
    if (answer === "up") return { status: "up", latencyMs: latency() }
    onFailure(check.name, `no answer within ${timeoutMs} ms`)
    return { status: "down", latencyMs: latency(), error: "timeout" }
  } catch (error) {
    onFailure(check.name, (error as Error)?.message ?? String(error))
    return { status: "down", latencyMs: latency(), error: "failed" }
  } finally {
    clearTimeout(timer)
  }
}

/**
 * Runs every check at once, each within `timeoutMs`: ready when all are up.
 * Why a check failed (addresses, driver messages) is for the server's log
 * only: the answer says up or down, and timeout or failed.
 */
export async function readiness(
  checks: Check[],
  timeoutMs: number,
  onFailure: (check: string, cause: string) => void = () => {}
): Promise<Readiness> {
  const results = await Promise.all(checks.map(async (c) => [c.name, await runCheck(c, timeoutMs, onFailure)] as const))
  return {
    status: results.every(([, r]) => r.status === "up") ? "ready" : "unavailable",
    checks: Object.fromEntries(results),
  }
}

/**
 * PostgreSQL, through a pool of its own (one connection) with the server's
 * connection settings: a check that waited for a connection of the app's pool
 * would fail whenever the app is merely busy. `select 1` needs a working
 * connection and a backend that answers.
 */
export function postgresCheck(connection: pg.PoolConfig, timeoutMs: number): Check & { close: () => Promise<void> } {
  const pool = new pg.Pool({
    ...connection,
    max: 1,
    connectionTimeoutMillis: timeoutMs,
    query_timeout: timeoutMs,
    idleTimeoutMillis: 30_000,
  })
  // A connection that breaks while idle is dropped by the pool; nothing to do here.
  pool.on("error", () => {})
  return { name: "postgres", ping: () => pool.query("select 1"), close: () => pool.end() }
}

/**
 * Redis, through a connection of its own: PING. While Redis is unreachable
 * the PING fails at once (no queue of commands waiting for it), and the client
 * keeps reconnecting in the background, so the check turns up again as soon
 * as Redis does.
 */
export function redisCheck(url: string, timeoutMs: number): Check & { close: () => void } {
  const client = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: timeoutMs,
    retryStrategy: (times) => Math.min(times * 100, 1000),
  })
  // Connection errors are answered by the check; ioredis would print them too.
  client.on("error", () => {})
  void client.connect().catch(() => {})
  /** Resolves once connected, or after `timeoutMs` (the PING then fails at once). */
  const connected = () =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer)
        client.off("ready", done)
        resolve()
      }
      const timer = setTimeout(done, timeoutMs)
      client.once("ready", done)
    })
  return {
    name: "redis",
    ping: async () => {
      // A connection on its way (the first check, or a reconnect) is waited for.
      if (client.status === "connecting" || client.status === "connect") await connected()
      return client.ping()
    },
    close: () => client.disconnect(),
  }
}

/**
 * `run`, shared: calls while one is under way get its result (single
 * flight), and so do calls within `reuseMs` of its end. A flood of checks
 * then costs one check at a time, rather than a queue of them on the
 * probe's one connection that outlasts their timeout and reads as down.
 */
export function shared<T>(run: () => Promise<T>, reuseMs: number): () => Promise<T> {
  let running: Promise<T> | undefined
  let last: { endedAt: number; value: T } | undefined
  return () => {
    if (last && performance.now() - last.endedAt < reuseMs) return Promise.resolve(last.value)
    running ??= run()
      .then((value) => {
        last = { endedAt: performance.now(), value }
        return value
      })
      .finally(() => {
        running = undefined
      })
    return running
  }
}

/**
 * The readiness of this server: PostgreSQL always, Redis when the server uses
 * one. A dependency that goes down is logged once, and again when it is back.
 * Concurrent checks share one run, and a result is reused for `reuseMs`.
 */
export function readinessProbe(options: {
  postgres: pg.PoolConfig
  redisUrl?: string
  timeoutMs: number
  reuseMs: number
  logger: { warn: (message: string) => void; info: (message: string) => void }
}): () => Promise<Readiness> {
  const checks: Check[] = [postgresCheck(options.postgres, options.timeoutMs)]
  if (options.redisUrl) checks.push(redisCheck(options.redisUrl, options.timeoutMs))
  const down = new Set<string>()
  return shared(async () => {
    const result = await readiness(checks, options.timeoutMs, (name, cause) => {
      if (!down.has(name)) options.logger.warn(`Readiness: ${name} is down (${cause}).`)
      down.add(name)
    })
    for (const [name, check] of Object.entries(result.checks)) {
      if (check.status === "up" && down.delete(name)) options.logger.info(`Readiness: ${name} is up again.`)
    }
    return result
  }, options.reuseMs)
}
