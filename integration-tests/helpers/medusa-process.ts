import { spawn, type ChildProcess } from "node:child_process"
import { createHmac } from "node:crypto"
import { resolve } from "node:path"

const root = resolve(__dirname, "../..")
const medusaBin = resolve(root, "node_modules/.bin/medusa")

/**
 * The environment of a `medusa` child process: the test's own, without the
 * test runner's database settings (the child gets DATABASE_URL instead).
 */
export function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, MEDUSA_DISABLE_TELEMETRY: "true", ...extra }
  for (const key of ["DB_HOST", "DB_PORT", "DB_USERNAME", "DB_PASSWORD", "DB_TEMP_NAME"]) delete env[key]
  return env
}

export type MedusaProcess = {
  name: string
  url: string
  child: ChildProcess
  /** Everything the process printed so far. */
  output: () => string
  kill: () => Promise<void>
}

/**
 * `medusa start` as a process of its own (a server, or a worker with
 * MEDUSA_WORKER_MODE=worker, which serves /health only). Resolves once
 * /health answers; fails early with its output if it exits.
 */
export async function startMedusa(name: string, port: number, env: NodeJS.ProcessEnv, timeoutMs = 180_000): Promise<MedusaProcess> {
  const child = spawn(medusaBin, ["start"], { cwd: root, env: { ...env, PORT: String(port) }, stdio: ["ignore", "pipe", "pipe"] })
  let output = ""
  child.stdout!.on("data", (d) => (output += d))
  child.stderr!.on("data", (d) => (output += d))
  const exited = () => child.exitCode !== null || child.signalCode !== null
  const process_: MedusaProcess = {
    name,
    url: `http://localhost:${port}`,
    child,
    output: () => output,
    kill: async () => {
      if (exited()) return
      const gone = new Promise((r) => child.once("exit", r))
      child.kill("SIGKILL")
      await gone
    },
  }
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (exited()) throw new Error(`${name} exited before it answered:\n${output.slice(-4000)}`)
    const up = await fetch(`${process_.url}/health`, { signal: AbortSignal.timeout(2000) })
      .then((r) => r.ok)
      .catch(() => false)
    if (up) return process_
    if (Date.now() > deadline) {
      await process_.kill()
      throw new Error(`${name} gave no answer on /health within ${timeoutMs} ms:\n${output.slice(-4000)}`)
    }
    await new Promise((r) => setTimeout(r, 250))
  }
}

/**
 * A bearer token for an admin user, signed with the servers' JWT_SECRET:
 * Medusa trusts what a token signed with its secret says, as it does for the
 * token its login route issues.
 */
export function adminToken(secret: string, userId = "user_scale_out"): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url")
  const body = `${part({ alg: "HS256", typ: "JWT" })}.${part({
    actor_id: userId,
    actor_type: "user",
    auth_identity_id: `authid_${userId}`,
    app_metadata: { user_id: userId },
    iat: Math.floor(Date.now() / 1000),
  })}`
  return `${body}.${createHmac("sha256", secret).update(body).digest("base64url")}`
}
