// Codegen plugin: the merged SDL of schema/*.graphql as a TypeScript module,
// because `medusa build` does not copy .graphql files into its output.
const { printSchemaWithDirectives } = require("@graphql-tools/utils")

module.exports = {
  plugin(schema) {
    const sdl = printSchemaWithDirectives(schema)
    return [
      "/** The schema's SDL, generated from schema/*.graphql by `npm run codegen`. */",
      `export const typeDefs = ${JSON.stringify(sdl)}`,
      "",
    ].join("\n")
  },
}
