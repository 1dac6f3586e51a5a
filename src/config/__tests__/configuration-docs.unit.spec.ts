import { existsSync, readdirSync, readFileSync, statSync } from "node:fs"
import { join, relative, resolve } from "node:path"
import { CONFIGURATION_DOCS_PATH, renderConfigurationDocs } from "../docs"
import { settings } from "../settings"

const root = resolve(__dirname, "../../..")

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return name === "__tests__" ? [] : sourceFiles(path)
    return /\.[jt]s$/.test(name) ? [path] : []
  })
}

describe("docs/configuration.md", () => {
  it("is what the settings' schema generates (npm run config:docs writes it)", () => {
    const path = resolve(root, CONFIGURATION_DOCS_PATH)
    const committed = existsSync(path) ? readFileSync(path, "utf8") : ""
    const rendered = renderConfigurationDocs()
    if (committed !== rendered) {
      const committedLines = committed.split("\n")
      const line = rendered.split("\n").findIndex((text, i) => text !== committedLines[i])
      throw new Error(
        `${CONFIGURATION_DOCS_PATH} is stale (first difference on line ${line + 1}): run \`npm run config:docs\` and commit it.`
      )
    }
  })

  it("lists every setting once, in a table of its group", () => {
    const docs = renderConfigurationDocs()
    for (const name of Object.keys(settings)) {
      expect(docs.split("\n").filter((line) => line.startsWith(`| \`${name}\` |`))).toHaveLength(1)
    }
  })
})

// medusa-config.ts reads NODE_ENV to pick the .env files, before any setting can be read.
const PICKS_ENV_FILES = 'loadEnv(process.env.NODE_ENV || "development", process.cwd())'
// medusa-config.ts writes (reads nothing from) Medusa's own flag variable, which one of Medusa's links reads as it loads.
const SETS_TRANSLATION_FLAG = 'process.env.MEDUSA_FF_TRANSLATION = "true"'

describe("settings", () => {
  it("are read through the schema only: no process.env reads elsewhere in the app", () => {
    const files = [...sourceFiles(resolve(root, "src")), resolve(root, "medusa-config.ts"), resolve(root, "instrumentation.ts")]
    const reads = files
      .filter((file) => !relative(root, file).startsWith("src/config/"))
      .flatMap((file) =>
        readFileSync(file, "utf8")
          .split("\n")
          .filter((line) => /process\.env\b/.test(line) && ![PICKS_ENV_FILES, SETS_TRANSLATION_FLAG].includes(line.trim()))
          .map((line) => `${relative(root, file)}: ${line.trim()}`)
      )
    expect(reads).toEqual([])
  })
})
