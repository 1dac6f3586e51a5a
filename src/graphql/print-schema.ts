import { lexicographicSortSchema, printSchema, type GraphQLSchema } from "graphql"

/** The schema's SDL, types and fields sorted, so that diffs show real changes only. */
export function printSortedSchema(schema: GraphQLSchema): string {
  return printSchema(lexicographicSortSchema(schema)) + "\n"
}

/** Where the reviewed schema lives; `npm run schema:snapshot` rewrites it. */
export const SCHEMA_SNAPSHOT_PATH = "schema/snapshot/schema.graphql"

/** Breaking changes that a reviewer accepted, one schema path per line. */
export const ACKNOWLEDGED_BREAKING_CHANGES_PATH = "schema/snapshot/acknowledged-breaking-changes.txt"
