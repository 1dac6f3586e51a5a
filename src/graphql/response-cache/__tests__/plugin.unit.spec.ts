import { createSchema, createYoga } from "graphql-yoga"
import type { ExecutionResult } from "graphql"
import { memoryAnswerStore, type AnswerStore } from "../../../lib/response-cache/response-store"
import { responseCachePlugins } from "../plugin"

// The plugin in a Yoga of its own, over a schema whose resolvers count their runs; keys
// are the document and variables as sent (the app's keys add the caller and versions).
describe("response cache plugin", () => {
  const setUp = () => {
    let runs = 0
    const stored: string[] = []
    const memory = memoryAnswerStore({ maxBytes: 1 << 20, maxEntryBytes: 1 << 16 })
    const store: AnswerStore = {
      get: (key) => memory.get(key),
      getSerialized: (key) => memory.getSerialized(key),
      set: (key, result, ttlMs) => {
        stored.push(key)
        return memory.set(key, result, ttlMs)
      },
    }
    const yoga = createYoga({
      schema: createSchema({
        typeDefs: `type Query { count: Int!, broken: Int }`,
        resolvers: {
          Query: {
            count: () => ++runs,
            broken: () => {
              throw new Error("no")
            },
          },
        },
      }),
      logging: false,
      plugins: responseCachePlugins({
        store,
        answerKey: async ({ documentString, variableValues }) => `${documentString}|${JSON.stringify(variableValues ?? {})}`,
        ttlSeconds: 60,
        logger: { warn: () => {} },
      }),
    })
    const ask = async (query: string, variables: Record<string, unknown> = {}): Promise<ExecutionResult> => {
      const req = { headers: {}, auth_context: undefined }
      const res = await yoga.fetch(
        "http://localhost/graphql",
        { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query, variables }) },
        { req, res: {} } as any
      )
      return res.json()
    }
    return { ask, stored, runs: () => runs }
  }

  it("keeps an answer and sends it again without running anything; other variables are another answer", async () => {
    const { ask, stored, runs } = setUp()
    expect(await ask(`{ count }`)).toEqual({ data: { count: 1 } })
    expect(await ask(`{ count }`)).toEqual({ data: { count: 1 } })
    expect(await ask(`{ count }`, { unused: 1 })).toEqual({ data: { count: 2 } })
    expect(runs()).toBe(2)
    expect(stored).toHaveLength(2)
  })

  it("keeps no answer with errors, and no introspection", async () => {
    const { ask, stored } = setUp()
    expect((await ask(`{ broken }`)).errors).toHaveLength(1)
    await ask(`{ __schema { queryType { name } } }`)
    await ask(`{ __type(name: "Query") { name } }`)
    expect(stored).toEqual([])
  })
})
