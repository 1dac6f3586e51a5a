// `npm run --silent schema:print`: the executable schema's SDL, sorted, on stdout.
// `node scripts/print-schema.mjs --write` stores it as the reviewed snapshot.
import { writeFileSync } from "node:fs"
import { createRequire } from "node:module"
import { resolve } from "node:path"

const root = resolve(import.meta.dirname, "..")
const require = createRequire(resolve(root, "package.json"))
require("ts-node").register({ transpileOnly: true, swc: true, project: resolve(root, "tsconfig.json") })

const { buildSchema } = require(resolve(root, "src/graphql/schema.ts"))
const { printSortedSchema, SCHEMA_SNAPSHOT_PATH } = require(resolve(root, "src/graphql/print-schema.ts"))

const sdl = printSortedSchema(buildSchema())
if (process.argv.includes("--write")) {
  writeFileSync(resolve(root, SCHEMA_SNAPSHOT_PATH), sdl)
  console.error(`Wrote ${SCHEMA_SNAPSHOT_PATH}`)
} else {
  process.stdout.write(sdl)
}
