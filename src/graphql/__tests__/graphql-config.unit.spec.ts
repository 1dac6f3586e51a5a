import { resolve } from "node:path"
import { validate } from "graphql"
import { loadConfig } from "graphql-config"

describe("graphql.config.ts", () => {
  it("points tools at the schema and at client operations that are valid against it", async () => {
    const config = await loadConfig({ rootDir: resolve(__dirname, "../../..") })
    const project = config!.getDefault()
    const schema = await project.getSchema()
    expect(schema.getType("Brand")).toBeDefined()
    const documents = await project.getDocuments()
    expect(documents.map((d) => d.location).sort()).toEqual([
      expect.stringMatching(/client\/operations\/back-office\.graphql$/),
      expect.stringMatching(/client\/operations\/storefront\.graphql$/),
    ])
    for (const doc of documents) {
      expect({ location: doc.location, errors: validate(schema, doc.document!).map((e) => e.message) }).toEqual({
        location: doc.location,
        errors: [],
      })
    }
  })
})
