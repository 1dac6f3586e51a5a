import type { IGraphQLConfig } from "graphql-config"

/** Points editors and GraphQL tools at the schema and the client operations. */
const config: IGraphQLConfig = {
  schema: "schema/*.graphql",
  documents: "client/operations/**/*.graphql",
  extensions: {
    endpoints: {
      local: { url: "http://localhost:9000/graphql" },
    },
  },
}

export default config
