import { CriticalityLevel, diff, type Change } from "@graphql-inspector/core"
import { buildSchema } from "graphql"

/** How the printed schema stands against the committed snapshot. */
export type SchemaCheck = {
  /** The printed schema differs from the snapshot: `npm run schema:snapshot` records it. */
  stale: boolean
  /** Breaking changes no one acknowledged: clients written against the snapshot may fail. */
  breaking: Change[]
  /** Breaking changes listed in the acknowledged file. */
  acknowledged: Change[]
  /** Changes that break no client. */
  safe: Change[]
}

/**
 * The schema paths of the acknowledged file: one per line (`Brand.legacyField`),
 * `#` starting a comment.
 */
export function parseAcknowledged(text: string): Set<string> {
  return new Set(
    text
      .split("\n")
      .map((line) => line.replace(/#.*/, "").trim())
      .filter(Boolean)
  )
}

/**
 * Compares the printed SDL with the snapshot's. Needs no history: the
 * snapshot committed beside the code is the schema clients were promised.
 */
export async function checkSchema(input: { snapshot: string; printed: string; acknowledged: Set<string> }): Promise<SchemaCheck> {
  const stale = input.snapshot !== input.printed
  const result: SchemaCheck = { stale, breaking: [], acknowledged: [], safe: [] }
  if (!stale) return result
  for (const change of await diff(buildSchema(input.snapshot), buildSchema(input.printed))) {
    if (change.criticality.level !== CriticalityLevel.Breaking) result.safe.push(change)
    else if (input.acknowledged.has(change.path ?? "")) result.acknowledged.push(change)
    else result.breaking.push(change)
  }
  return result
}

/** One line per change: its path and what it does. */
export const describeChange = (change: Change) => `  - ${change.path ?? "(schema)"}: ${change.message}`

/**
 * What a person reads about a check: the breaking changes and how to accept
 * them, or that the snapshot needs recording, or nothing (up to date).
 */
export function describeSchemaCheck(check: SchemaCheck, paths: { snapshot: string; acknowledged: string }): string {
  const lines: string[] = []
  if (check.breaking.length) {
    lines.push(
      `${check.breaking.length} breaking change(s) to the public schema since ${paths.snapshot}:`,
      ...check.breaking.map(describeChange),
      `Clients written against the snapshot may fail. Keep the old fields and arguments (deprecate them),`,
      `or, if a reviewer accepts the break, list each path in ${paths.acknowledged} with the reason.`
    )
  }
  if (check.acknowledged.length) {
    lines.push(`Acknowledged breaking change(s):`, ...check.acknowledged.map(describeChange))
  }
  if (check.safe.length) lines.push(`Other change(s):`, ...check.safe.map(describeChange))
  if (check.stale && !check.breaking.length) {
    lines.push(`${paths.snapshot} is stale: run \`npm run schema:snapshot\` and commit it.`)
  }
  return lines.join("\n")
}
