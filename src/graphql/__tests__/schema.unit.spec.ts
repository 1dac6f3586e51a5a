import { execFile } from "node:child_process"
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { promisify } from "node:util"
import { buildSchema } from "../schema"
import { ACKNOWLEDGED_BREAKING_CHANGES_PATH, printSortedSchema, SCHEMA_SNAPSHOT_PATH } from "../print-schema"
import { checkSchema, describeSchemaCheck, parseAcknowledged } from "../schema-check"

const root = resolve(__dirname, "../../..")
const printed = printSortedSchema(buildSchema())
const paths = { snapshot: SCHEMA_SNAPSHOT_PATH, acknowledged: ACKNOWLEDGED_BREAKING_CHANGES_PATH }
const read = (path: string) => readFileSync(resolve(root, path), "utf8")

describe("public schema against the committed snapshot", () => {
  it("has no breaking change unless it is acknowledged, and the snapshot is up to date", async () => {
    // The snapshot committed beside the code is the baseline: no git history needed.
    const check = await checkSchema({
      snapshot: read(SCHEMA_SNAPSHOT_PATH),
      printed,
      acknowledged: parseAcknowledged(read(ACKNOWLEDGED_BREAKING_CHANGES_PATH)),
    })
    if (check.breaking.length || check.stale) throw new Error(describeSchemaCheck(check, paths))
  })
})

describe("schema check", () => {
  const before = "type Query { a: Int, b: Int }\n"

  it("flags a removed field as breaking, and lets an acknowledged one through", async () => {
    const after = "type Query { a: Int }\n"
    const check = await checkSchema({ snapshot: before, printed: after, acknowledged: new Set() })
    expect(check.stale).toBe(true)
    expect(check.breaking.map((c) => c.path)).toEqual(["Query.b"])
    const message = describeSchemaCheck(check, paths)
    expect(message).toContain("1 breaking change(s)")
    expect(message).toContain("Query.b: Field 'b' was removed from object type 'Query'")
    expect(message).toContain(ACKNOWLEDGED_BREAKING_CHANGES_PATH)

    const acknowledged = parseAcknowledged("# header\nQuery.b # b was never used\n")
    const accepted = await checkSchema({ snapshot: before, printed: after, acknowledged })
    expect(accepted.breaking).toEqual([])
    expect(accepted.acknowledged.map((c) => c.path)).toEqual(["Query.b"])
    expect(describeSchemaCheck(accepted, paths)).toMatch(/is stale: run `npm run schema:snapshot`/)
  })

  it("calls an added field safe but the snapshot stale, and an equal schema up to date", async () => {
    const added = await checkSchema({ snapshot: before, printed: "type Query { a: Int, b: Int, c: Int }\n", acknowledged: new Set() })
    expect({ stale: added.stale, breaking: added.breaking, safe: added.safe.map((c) => c.path) }).toEqual({
      stale: true,
      breaking: [],
      safe: ["Query.c"],
    })
    expect(describeSchemaCheck(added, paths)).toContain("npm run schema:snapshot")
    const same = await checkSchema({ snapshot: before, printed: before, acknowledged: new Set() })
    expect(same).toEqual({ stale: false, breaking: [], acknowledged: [], safe: [] })
  })

  describe("npm run schema:check", () => {
    const run = (...args: string[]) =>
      promisify(execFile)(process.execPath, [resolve(root, "scripts/schema-check.mjs"), ...args], { cwd: root }).then(
        ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
        (error) => ({ code: error.code as number, stdout: error.stdout as string, stderr: error.stderr as string })
      )
    const dir = mkdtempSync(join(tmpdir(), "schema-check-"))
    const write = (name: string, text: string) => {
      writeFileSync(join(dir, name), text)
      return join(dir, name)
    }

    it("passes on the committed snapshot", async () => {
      const res = await run()
      expect(res).toMatchObject({ code: 0, stderr: "" })
      expect(res.stdout).toContain(`The schema matches ${SCHEMA_SNAPSHOT_PATH}`)
    }, 60000)

    it("fails on a snapshot that holds a field the schema lost, listing it, unless acknowledged", async () => {
      // A snapshot with one more query field than the code has: as if the code removed it.
      const snapshot = write("schema.graphql", printed.replace("type Query {\n", "type Query {\n  legacyBrands: Int\n"))
      const none = write("none.txt", "# nothing\n")
      const res = await run("--snapshot", snapshot, "--acknowledged", none)
      expect(res.code).toBe(1)
      expect(res.stderr).toContain("1 breaking change(s) to the public schema")
      expect(res.stderr).toContain("Query.legacyBrands: Field 'legacyBrands' was removed from object type 'Query'")

      const listed = write("listed.txt", "Query.legacyBrands # replaced by brands\n")
      const acknowledged = await run("--snapshot", snapshot, "--acknowledged", listed)
      // Acknowledged, but the snapshot is still to be recorded.
      expect(acknowledged.code).toBe(1)
      expect(acknowledged.stderr).not.toContain("breaking change(s) to the public schema")
      expect(acknowledged.stderr).toContain("is stale: run `npm run schema:snapshot`")
    }, 60000)
  })
})
