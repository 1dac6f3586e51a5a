import { spawn, type ChildProcess } from "node:child_process"
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { freePort } from "./redis-server"

/** Debian's varnishd (packages varnish and varnish-modules); VARNISHD_PATH overrides. Tests that need it skip without it. */
export const VARNISHD_PATH = process.env.VARNISHD_PATH || "/usr/sbin/varnishd"

/** Where Debian puts Varnish's modules (varnish-modules adds xkey and var there). */
const VMOD_DIRS = ["/usr/lib/x86_64-linux-gnu/varnish/vmods", "/usr/lib/aarch64-linux-gnu/varnish/vmods", "/usr/lib/varnish/vmods"]

/** varnishd, and the xkey module the VCL imports. */
export const hasVarnish = () =>
  existsSync(VARNISHD_PATH) && (!!process.env.VARNISHD_PATH || VMOD_DIRS.some((dir) => existsSync(join(dir, "libvmod_xkey.so"))))

/** The production VCL: what the test runs, but for the servers it names. */
export const DEPLOY_VCL = resolve(__dirname, "../../deploy/varnish/default.vcl")

export type Varnish = { url: string; output: () => string; stop: () => Promise<void> }

/**
 * varnishd of the test's own: deploy/varnish/default.vcl with the block
 * between its BACKENDS markers replaced by `backends` (named api_1, api_2 as
 * there) on 127.0.0.1, listening on a free port, with its own working folder
 * (-n), in the foreground so that the test stops it by its own pid.
 */
export async function startVarnish(backends: { name: string; port: number }[]): Promise<Varnish> {
  const dir = mkdtempSync(join(tmpdir(), "edge-varnish-"))
  // varnishd reads the VCL and works in -n as its own unprivileged users.
  chmodSync(dir, 0o755)
  const vcl = readFileSync(DEPLOY_VCL, "utf8")
  const block = /# BACKENDS BEGIN[\s\S]*?# BACKENDS END/
  if (!block.test(vcl)) throw new Error(`${DEPLOY_VCL} has no BACKENDS BEGIN/END block`)
  const own = backends.map((b) => `backend ${b.name} { .host = "127.0.0.1"; .port = "${b.port}"; }`).join("\n")
  writeFileSync(join(dir, "test.vcl"), vcl.replace(block, own))
  const port = await freePort()
  const child: ChildProcess = spawn(
    VARNISHD_PATH,
    ["-F", "-a", `127.0.0.1:${port}`, "-T", "127.0.0.1:0", "-f", join(dir, "test.vcl"), "-n", join(dir, "work"), "-s", "malloc,64m"],
    { stdio: ["ignore", "pipe", "pipe"] }
  )
  let output = ""
  child.stdout!.on("data", (d) => (output += d))
  child.stderr!.on("data", (d) => (output += d))
  const exited = () => child.exitCode !== null || child.signalCode !== null
  const stop = async () => {
    if (!exited()) {
      const gone = new Promise((r) => child.once("exit", r))
      child.kill("SIGTERM")
      await gone
    }
    rmSync(dir, { recursive: true, force: true })
  }
  const url = `http://127.0.0.1:${port}`
  for (const deadline = Date.now() + 30_000; ; ) {
    if (exited()) throw new Error(`varnishd exited:\n${output}`)
    // Any answer (the worker's /health is not behind it) means it listens.
    const up = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(1000) }).then(() => true, () => false)
    if (up) return { url, output: () => output, stop }
    if (Date.now() > deadline) {
      await stop()
      throw new Error(`varnishd did not answer within 30 s:\n${output}`)
    }
    await new Promise((r) => setTimeout(r, 100))
  }
}
