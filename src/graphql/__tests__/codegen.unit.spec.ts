import { spawnSync } from "node:child_process"
import { resolve } from "node:path"

const root = resolve(__dirname, "../../..")

describe("generated code", () => {
  it("is what `npm run codegen` makes from the current schema and documents", () => {
    // --check regenerates in memory and fails on any file that differs.
    const run = spawnSync(resolve(root, "node_modules/.bin/graphql-codegen"), ["--config", "codegen.ts", "--check"], {
      cwd: root,
      encoding: "utf8",
    })
    const stale = (run.stdout + run.stderr).match(/^\s+- .+$/gm) ?? []
    expect({ status: run.status, stale }).toEqual({ status: 0, stale: [] })
  })
})
