// `npm run --silent schema:print`: the executable schema's SDL, sorted, on stdout.
// `node scripts/print-schema.mjs --write` (npm run schema:snapshot) stores it
// as the reviewed snapshot; it refuses to record a breaking change that
// schema/snapshot/acknowledged-breaking-changes.txt does not list, so that the
// snapshot (which `npm run schema:check` compares with) never absorbs one unseen.
import { existsSync, readFileSync, writeFileSync } from "node:fs"
import { createRequire } from "node:module"
import { resolve } from "node:path"

const root = resolve(import.meta.dirname, "..")
const require = createRequire(resolve(root, "package.json"))
require("ts-node").register({ transpileOnly: true, swc: true, project: resolve(root, "tsconfig.json") })

const { buildSchema } = require(resolve(root, "src/graphql/schema.ts"))
const { printSortedSchema, SCHEMA_SNAPSHOT_PATH, ACKNOWLEDGED_BREAKING_CHANGES_PATH } = require(resolve(root, "src/graphql/print-schema.ts"))
const { checkSchema, describeSchemaCheck, parseAcknowledged } = require(resolve(root, "src/graphql/schema-check.ts"))

const sdl = printSortedSchema(buildSchema())
if (process.argv.includes("--write")) {
  const snapshotPath = resolve(root, SCHEMA_SNAPSHOT_PATH)
  if (existsSync(snapshotPath)) {
    const check = await checkSchema({
      snapshot: readFileSync(snapshotPath, "utf8"),
      printed: sdl,
      acknowledged: parseAcknowledged(readFileSync(resolve(root, ACKNOWLEDGED_BREAKING_CHANGES_PATH), "utf8")),
    })
    if (check.breaking.length) {
      console.error(describeSchemaCheck(check, { snapshot: SCHEMA_SNAPSHOT_PATH, acknowledged: ACKNOWLEDGED_BREAKING_CHANGES_PATH }))
      console.error(`${SCHEMA_SNAPSHOT_PATH} was not written.`)
      process.exit(1)
    }
  }
  writeFileSync(snapshotPath, sdl)
  console.error(`Wrote ${SCHEMA_SNAPSHOT_PATH}`)
} else {
  process.stdout.write(sdl)
}
