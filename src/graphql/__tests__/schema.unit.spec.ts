import { execFileSync } from "node:child_process"
import { existsSync, readFileSync } from "node:fs"
import { resolve } from "node:path"
import { CriticalityLevel, diff } from "@graphql-inspector/core"
import { buildSchema as buildFromSdl } from "graphql"
import { buildSchema } from "../schema"
import {
  ACKNOWLEDGED_BREAKING_CHANGES_PATH,
  printSortedSchema,
  SCHEMA_SNAPSHOT_PATH,
} from "../print-schema"

const root = resolve(__dirname, "../../..")
const printed = printSortedSchema(buildSchema())

function git(args: string[]): string | null {
  try {
    return execFileSync("git", args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] })
  } catch {
    return null
  }
}

/**
 * The snapshot this change is measured against: HEAD's while the snapshot
 * has uncommitted edits (a developer's tree), else the one before the last
 * commit that changed it (a clean checkout in CI).
 */
function baselineSnapshot(): { sdl: string; from: string } | null {
  const edited = git(["status", "--porcelain", "--", SCHEMA_SNAPSHOT_PATH])
  if (edited === null) return null
  if (edited.trim()) {
    const sdl = git(["show", `HEAD:${SCHEMA_SNAPSHOT_PATH}`])
    return sdl ? { sdl, from: "HEAD" } : null
  }
  const lastChange = git(["log", "-1", "--format=%H", "--", SCHEMA_SNAPSHOT_PATH])?.trim()
  if (!lastChange) return null
  const sdl = git(["show", `${lastChange}~1:${SCHEMA_SNAPSHOT_PATH}`])
  return sdl ? { sdl, from: `${lastChange.slice(0, 8)}~1` } : null
}

describe("public schema", () => {
  it("matches the reviewed snapshot (npm run schema:snapshot updates it)", () => {
    const snapshotPath = resolve(root, SCHEMA_SNAPSHOT_PATH)
    expect(existsSync(snapshotPath)).toBe(true)
    expect(printed).toBe(readFileSync(snapshotPath, "utf8"))
  })

  it("has no breaking change since the last snapshot unless it is acknowledged", async () => {
    const baseline = baselineSnapshot()
    if (!baseline) {
      console.warn("No earlier schema snapshot in git history: nothing to compare with.")
      return
    }
    const acknowledged = new Set(
      readFileSync(resolve(root, ACKNOWLEDGED_BREAKING_CHANGES_PATH), "utf8")
        .split("\n")
        .map((line) => line.replace(/#.*/, "").trim())
        .filter(Boolean)
    )
    const changes = await diff(buildFromSdl(baseline.sdl), buildFromSdl(printed))
    const unacknowledged = changes
      .filter((c) => c.criticality.level === CriticalityLevel.Breaking)
      .filter((c) => !acknowledged.has(c.path ?? ""))
      .map((c) => `${c.path}: ${c.message}`)
    expect(unacknowledged).toEqual([])
  })

  it("flags a removed field as breaking (the check itself works)", async () => {
    const before = buildFromSdl("type Query { a: Int, b: Int }")
    const after = buildFromSdl("type Query { a: Int }")
    const changes = await diff(before, after)
    expect(changes.map((c) => [c.path, c.criticality.level])).toEqual([["Query.b", CriticalityLevel.Breaking]])
  })
})
