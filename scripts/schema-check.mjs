// `npm run schema:check`: compares the schema the code builds with the
// committed snapshot (schema/snapshot/schema.graphql) and fails on a breaking
// change that schema/snapshot/acknowledged-breaking-changes.txt does not
// list, or on a snapshot that is not up to date. Needs no git history.
//
// --snapshot <file> and --acknowledged <file> compare with other files.
import { readFileSync } from "node:fs"
import { createRequire } from "node:module"
import { relative, resolve } from "node:path"
import { parseArgs } from "node:util"

const root = resolve(import.meta.dirname, "..")
const require = createRequire(resolve(root, "package.json"))
require("ts-node").register({ transpileOnly: true, swc: true, project: resolve(root, "tsconfig.json") })

const { buildSchema } = require(resolve(root, "src/graphql/schema.ts"))
const { printSortedSchema, SCHEMA_SNAPSHOT_PATH, ACKNOWLEDGED_BREAKING_CHANGES_PATH } = require(resolve(root, "src/graphql/print-schema.ts"))
const { checkSchema, describeSchemaCheck, parseAcknowledged } = require(resolve(root, "src/graphql/schema-check.ts"))

const { values } = parseArgs({
  options: {
    snapshot: { type: "string", default: resolve(root, SCHEMA_SNAPSHOT_PATH) },
    acknowledged: { type: "string", default: resolve(root, ACKNOWLEDGED_BREAKING_CHANGES_PATH) },
  },
})
const shown = (path) => relative(process.cwd(), path) || path

let snapshot
try {
  snapshot = readFileSync(values.snapshot, "utf8")
} catch {
  console.error(`No schema snapshot at ${shown(values.snapshot)}: run \`npm run schema:snapshot\` and commit it.`)
  process.exit(1)
}
const check = await checkSchema({
  snapshot,
  printed: printSortedSchema(buildSchema()),
  acknowledged: parseAcknowledged(readFileSync(values.acknowledged, "utf8")),
})
const report = describeSchemaCheck(check, { snapshot: shown(values.snapshot), acknowledged: shown(values.acknowledged) })
if (check.breaking.length || check.stale) {
  console.error(report)
  process.exit(1)
}
console.log(`The schema matches ${shown(values.snapshot)}.`)
