// Processes the fault and soak scripts start, watch and stop themselves:
// `medusa` commands and servers, and a redis-server of their own. Nothing
// here touches a process it did not start.
import { spawn } from "node:child_process"
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync } from "node:fs"
import { createServer, Socket } from "node:net"
import { resolve } from "node:path"

export const root = resolve(import.meta.dirname, "../..")
const medusaBin = resolve(root, "node_modules/.bin/medusa")

/** Debian's redis-server; REDIS_SERVER_PATH overrides. */
export const REDIS_SERVER_PATH = process.env.REDIS_SERVER_PATH || "/usr/bin/redis-server"
export const hasRedisServer = () => existsSync(REDIS_SERVER_PATH)

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

/** A TCP port nothing listens on right now. */
export function freePort() {
  return new Promise((ok, fail) => {
    const server = createServer()
    server.once("error", fail)
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address()
      server.close(() => ok(port))
    })
  })
}

/** Whether a Redis at 127.0.0.1:port answers PING. */
function answersPing(port) {
  return new Promise((ok) => {
    const socket = new Socket()
    const done = (result) => {
      socket.destroy()
      ok(result)
    }
    socket.setTimeout(500, () => done(false))
    socket.once("error", () => done(false))
    socket.once("data", (d) => done(String(d).startsWith("+PONG")))
    socket.connect(port, "127.0.0.1", () => socket.write("PING\r\n"))
  })
}

/**
 * A redis-server of the caller's own on a free port: stop() and start() it
 * again on the same port. Without `dir` it keeps nothing (a restart loses its
 * data); with `dir` (emptied first) it keeps an append-only file there, as a
 * production Redis should, so that queued events and scheduled jobs survive
 * a restart.
 */
export async function startOwnRedis({ dir } = {}) {
  const port = await freePort()
  if (dir) {
    rmSync(dir, { recursive: true, force: true })
    mkdirSync(dir, { recursive: true })
  }
  const persistence = dir ? ["--appendonly", "yes", "--dir", dir] : ["--appendonly", "no"]
  let child = null
  const start = async () => {
    child = spawn(REDIS_SERVER_PATH, ["--port", String(port), "--bind", "127.0.0.1", "--save", "", ...persistence], {
      stdio: "ignore",
    })
    for (let i = 0; i < 100; i++) {
      if (await answersPing(port)) return
      await sleep(50)
    }
    throw new Error(`redis-server on port ${port} did not answer`)
  }
  const stop = async (signal = "SIGTERM") => {
    const running = child
    if (!running || running.exitCode !== null || running.signalCode !== null) return
    const exited = new Promise((r) => running.once("exit", r))
    running.kill(signal)
    await exited
    child = null
  }
  await start()
  return { url: `redis://127.0.0.1:${port}`, port, start, stop }
}

/** The environment every medusa process of these scripts runs with. */
export function medusaEnv(extra) {
  const env = { ...process.env, MEDUSA_DISABLE_TELEMETRY: "true", ...extra }
  // Test-runner settings of the caller's shell have no meaning here.
  for (const key of ["DB_HOST", "DB_PORT", "DB_USERNAME", "DB_PASSWORD", "DB_TEMP_NAME"]) delete env[key]
  return env
}

/** Runs a medusa command to its end; rejects with its last output when it fails. */
export function runMedusa(args, env) {
  return new Promise((ok, fail) => {
    const child = spawn(medusaBin, args, { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] })
    let output = ""
    child.stdout.on("data", (d) => (output += d))
    child.stderr.on("data", (d) => (output += d))
    child.on("exit", (code) =>
      code === 0 ? ok(output) : fail(new Error(`medusa ${args.join(" ")} exited with ${code}:\n${output.slice(-4000)}`))
    )
  })
}

/**
 * `medusa start` as a process of its own (a server, or a worker with
 * MEDUSA_WORKER_MODE=worker), its output kept in memory and, with `logFile`,
 * written there. Resolves once /health answers.
 */
export async function startMedusa({ name, port, env, logFile, timeoutMs = 180_000 }) {
  const child = spawn(medusaBin, ["start"], {
    cwd: root,
    env: { ...env, PORT: String(port) },
    stdio: ["ignore", "pipe", "pipe"],
  })
  let output = ""
  const file = logFile ? createWriteStream(logFile) : null
  for (const stream of [child.stdout, child.stderr]) {
    stream.on("data", (d) => {
      output += d
      file?.write(d)
    })
  }
  const exit = new Promise((r) => child.once("exit", (code, signal) => r(signal ?? code)))
  const server = {
    name,
    port,
    url: `http://localhost:${port}`,
    pid: child.pid,
    child,
    exit,
    output: () => output,
    /** Whether the process has exited. */
    exited: () => child.exitCode !== null || child.signalCode !== null,
    /** SIGTERM (Medusa's graceful shutdown), then SIGKILL after `graceMs`. */
    async stop(graceMs = 15_000) {
      if (server.exited()) return
      child.kill("SIGTERM")
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs)
      await exit
      clearTimeout(timer)
      file?.end()
    },
    async kill() {
      if (server.exited()) return
      child.kill("SIGKILL")
      await exit
      file?.end()
    },
  }
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (server.exited()) throw new Error(`${name} exited before it answered:\n${output.slice(-4000)}`)
    try {
      const res = await fetch(`${server.url}/health`, { signal: AbortSignal.timeout(2000) })
      await res.body?.cancel()
      if (res.ok) return server
    } catch {}
    if (Date.now() > deadline) {
      await server.kill()
      throw new Error(`${name} gave no answer on /health within ${timeoutMs} ms:\n${output.slice(-4000)}`)
    }
    await sleep(250)
  }
}

/** Resident memory of a process, in bytes (Linux), or null when it is gone. */
export function rssOf(pid) {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))
    return match ? Number(match[1]) * 1024 : null
  } catch {
    return null
  }
}

/** An HS256 JWT for an admin user, signed with the servers' JWT_SECRET (what Medusa checks). */
export async function adminToken(secret, userId = "user_scripted") {
  const { createHmac } = await import("node:crypto")
  const part = (o) => Buffer.from(JSON.stringify(o)).toString("base64url")
  const body = `${part({ alg: "HS256", typ: "JWT" })}.${part({
    actor_id: userId,
    actor_type: "user",
    auth_identity_id: `authid_${userId}`,
    app_metadata: { user_id: userId },
    iat: Math.floor(Date.now() / 1000),
  })}`
  return `${body}.${createHmac("sha256", secret).update(body).digest("base64url")}`
}

/** Percentile (0-100) of a list of numbers, by nearest rank. */
export function percentile(values, p) {
  if (!values.length) return NaN
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]
}
