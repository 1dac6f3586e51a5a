// varnishd with deploy/varnish/default.vcl in front of servers of the
// caller's, for the benchmarks (integration-tests/helpers/varnish.ts is the
// tests' twin): its BACKENDS block replaced, a free port, its own working
// folder, in the foreground so that the caller stops it by its own pid.
import { spawn } from "node:child_process"
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"

export const VARNISHD = process.env.VARNISHD_PATH || "/usr/sbin/varnishd"
const VCL = resolve(import.meta.dirname, "../../deploy/varnish/default.vcl")

export const hasVarnish = () => existsSync(VARNISHD)


/** Starts varnishd on `port` with api_1 and api_2 at `backendPorts`; resolves to { url, stop }. */
export async function startVarnish(port, backendPorts) {
  const dir = mkdtempSync(join(tmpdir(), "bench-varnish-"))
  chmodSync(dir, 0o755)
  const backends = backendPorts.map((p, i) => `backend api_${i + 1} { .host = "127.0.0.1"; .port = "${p}"; }`).join("\n")
  writeFileSync(join(dir, "bench.vcl"), readFileSync(VCL, "utf8").replace(/# BACKENDS BEGIN[\s\S]*?# BACKENDS END/, backends))
  const child = spawn(VARNISHD, ["-F", "-a", `127.0.0.1:${port}`, "-T", "127.0.0.1:0", "-f", join(dir, "bench.vcl"), "-n", join(dir, "work"), "-s", "malloc,256m"], {
    stdio: ["ignore", "pipe", "pipe"],
  })
  // Its log is printed only if it does not start.
  let output = ""
  child.stdout.on("data", (d) => (output += d))
  child.stderr.on("data", (d) => (output += d))
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const gone = new Promise((r) => child.once("exit", r))
      child.kill("SIGTERM")
      await gone
    }
    rmSync(dir, { recursive: true, force: true })
  }
  const url = `http://127.0.0.1:${port}`
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; ) {
    if (child.exitCode !== null) break
    if (await fetch(`${url}/metrics`).then(() => true, () => false)) return { url, stop }
    await new Promise((r) => setTimeout(r, 100))
  }
  await stop()
  throw new Error(`varnishd did not start:\n${output}`)
}
