import { z } from "zod"
import { settings, type SettingName } from "./settings"

type Parsed<K extends SettingName> = { [P in K]: z.output<(typeof settings)[P]> }

/** Every setting, parsed. */
export type Settings = Parsed<SettingName>

/**
 * Checks that involve more than one setting, each reported on the variable to
 * change. They run once every setting parsed, and skip settings not asked for.
 */
const crossChecks: ((values: Partial<Parsed<SettingName>>) => [SettingName, string] | null)[] = [
  // Every operation the cost limit allows must be able to run on a full bucket.
  ({ GRAPHQL_RATE_LIMIT: enabled, GRAPHQL_RATE_LIMIT_CAPACITY: capacity, GRAPHQL_MAX_COST: maxCost }) =>
    enabled && capacity !== undefined && maxCost !== undefined && capacity < maxCost
      ? [
          "GRAPHQL_RATE_LIMIT_CAPACITY",
          `(${capacity}) must be at least GRAPHQL_MAX_COST (${maxCost}): ` +
            "otherwise an operation the cost limit allows could never run.",
        ]
      : null,
]

// Built once per list of names: zod compiles an object's parser on its first use.
const objectSchemas = new Map<string, z.ZodObject>()

function objectSchema(names: readonly SettingName[]): z.ZodObject {
  const key = names.join(",")
  let schema = objectSchemas.get(key)
  if (!schema) {
    schema = z.object(Object.fromEntries(names.map((name) => [name, settings[name]])))
    objectSchemas.set(key, schema)
  }
  return schema
}

/**
 * The settings `names` (all by default) read from `env`. An invalid value
 * stops the caller with a message naming each variable at fault.
 */
export function parseSettings<K extends SettingName = SettingName>(
  env: NodeJS.ProcessEnv,
  names: readonly K[] = Object.keys(settings) as K[]
): Parsed<K> {
  const result = objectSchema(names).safeParse(env)
  if (!result.success) {
    throw new Error(result.error.issues.map((issue) => `${String(issue.path[0])} ${issue.message}`).join("\n"))
  }
  const values = result.data as Parsed<K>
  const problems = crossChecks.flatMap((check) => {
    const problem = check(values)
    return problem ? [`${problem[0]} ${problem[1]}`] : []
  })
  if (problems.length) throw new Error(problems.join("\n"))
  return values
}
