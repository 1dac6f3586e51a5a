import { settingDocs, settingGroups, type SettingDoc } from "./setting"
import { settings } from "./settings"

/** Where `npm run config:docs` writes the settings' reference. */
export const CONFIGURATION_DOCS_PATH = "docs/configuration.md"

const INTRO = `# Configuration

The server reads its settings from environment variables, and from a \`.env\` file in the project folder
(with \`.env.production\`, \`.env.staging\` or \`.env.test\` before it, by \`NODE_ENV\`).
Every setting has a default that lets \`npm start\` run on a machine with nothing set; unset or empty means the
default. Each one is declared once, in \`src/config/settings.ts\`, which parses and validates it: an invalid
value stops the process with a message naming the variable.

This page is generated from that schema by \`npm run config:docs\`; edit the schema, not this page.
Variables that only the scripts read (\`npm start\`'s embedded PostgreSQL, \`npm test\`, the benchmarks) are
described in those scripts.
`

/** A table cell: pipes would end it early, line breaks would end the row. */
const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\s*\n\s*/g, " ")

/** The settings' reference, grouped by concern, as docs/configuration.md holds it. */
export function renderConfigurationDocs(): string {
  const byGroup = new Map<string, [string, SettingDoc][]>()
  for (const [name, schema] of Object.entries(settings)) {
    const doc = settingDocs.get(schema)
    if (!doc?.group) throw new Error(`${name} has no documentation: declare it with a setting kind inside a settingGroup.`)
    byGroup.set(doc.group, [...(byGroup.get(doc.group) ?? []), [name, doc]])
  }
  const sections = settingGroups
    .filter((group) => byGroup.has(group.title))
    .map((group) => {
      const rows = byGroup
        .get(group.title)!
        .map(([name, doc]) => `| \`${name}\` | ${cell(doc.default)} | ${cell(doc.accepts)} | ${cell(doc.description)} |`)
      return [`## ${group.title}`, "", group.intro, "", "| Variable | Default | Accepts | Description |", "| --- | --- | --- | --- |", ...rows, ""].join("\n")
    })
  return [INTRO, ...sections].join("\n")
}
