import { spawn, type ChildProcess } from "node:child_process"
import { existsSync } from "node:fs"
import { createServer, Socket } from "node:net"

/** Debian's redis-server; REDIS_SERVER_PATH overrides. Tests that need one of their own skip without it. */
export const REDIS_SERVER_PATH = process.env.REDIS_SERVER_PATH || "/usr/bin/redis-server"

export const hasRedisServer = () => existsSync(REDIS_SERVER_PATH)

/** A TCP port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer()
    server.once("error", fail)
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number }
      server.close(() => ok(port))
    })
  })
}

/** Whether a Redis at 127.0.0.1:port answers PING. */
function answersPing(port: number): Promise<boolean> {
  return new Promise((ok) => {
    const socket = new Socket()
    const done = (result: boolean) => {
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
 * A redis-server of the test's own on a free port (no persistence), which
 * the test may stop and start again: never the machine's shared Redis.
 */
export async function startOwnRedis(): Promise<{ url: string; stop: () => Promise<void>; start: () => Promise<void> }> {
  const port = await freePort()
  let child: ChildProcess | null = null
  const start = async () => {
    child = spawn(REDIS_SERVER_PATH, ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
      stdio: "ignore",
    })
    for (let i = 0; i < 100; i++) {
      if (await answersPing(port)) return
      await new Promise((r) => setTimeout(r, 50))
    }
    throw new Error(`redis-server on port ${port} did not answer`)
  }
  const stop = async () => {
    const running = child
    if (!running || running.exitCode !== null) return
    const exited = new Promise((r) => running.once("exit", r))
    running.kill("SIGTERM")
    await exited
    child = null
  }
  await start()
  return { url: `redis://127.0.0.1:${port}`, stop, start }
}
