// `npm run config:docs`: writes docs/configuration.md from the settings' schema (src/config/settings.ts).
import { mkdirSync, writeFileSync } from "node:fs"
import { createRequire } from "node:module"
import { dirname, resolve } from "node:path"

const root = resolve(import.meta.dirname, "..")
const require = createRequire(resolve(root, "package.json"))
require("ts-node").register({ transpileOnly: true, swc: true, project: resolve(root, "tsconfig.json") })

const { renderConfigurationDocs, CONFIGURATION_DOCS_PATH } = require(resolve(root, "src/config/docs.ts"))

const path = resolve(root, CONFIGURATION_DOCS_PATH)
mkdirSync(dirname(path), { recursive: true })
writeFileSync(path, renderConfigurationDocs())
console.error(`Wrote ${CONFIGURATION_DOCS_PATH}`)
