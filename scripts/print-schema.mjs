// `npm run --silent schema:print`: the executable schema's SDL, sorted, on stdout.
import { createRequire } from "node:module"
import { resolve } from "node:path"

const root = resolve(import.meta.dirname, "..")
const require = createRequire(resolve(root, "package.json"))
require("ts-node").register({ transpileOnly: true, swc: true, project: resolve(root, "tsconfig.json") })

const { lexicographicSortSchema, printSchema } = require("graphql")
const { buildSchema } = require(resolve(root, "src/graphql/schema.ts"))

process.stdout.write(printSchema(lexicographicSortSchema(buildSchema())) + "\n")
