import { parse, validate } from "graphql"
import { buildSchema } from "../schema"
import { EXAMPLE_QUERY, playgroundKey, WEBSHOP_KEY_TITLE } from "../playground"

describe("playground", () => {
  it("opens with an example that is valid against the schema and asks for prices and images", () => {
    const document = parse(EXAMPLE_QUERY)
    expect(validate(buildSchema(), document)).toEqual([])
    expect(EXAMPLE_QUERY).toMatch(/@inContext\(currencyCode: "eur"\)/)
    expect(EXAMPLE_QUERY).toMatch(/images \{\s+url/)
    expect(EXAMPLE_QUERY).toMatch(/price \{\s+amount/)
  })

  it("prefills the webshop's key, else a key titled like one, else the oldest", async () => {
    const keys = (titles: string[]) => titles.map((title, i) => ({ title, token: `pk_${i}` }))
    const fake = (all: { title: string; token: string }[]) => ({
      graph: async ({ filters }: { filters: { title?: string } }) => ({
        data: filters.title ? all.filter((k) => k.title === filters.title) : all,
      }),
    })
    expect(await playgroundKey(fake(keys(["Default", "Wholesale key", WEBSHOP_KEY_TITLE])))).toBe("pk_2")
    expect(await playgroundKey(fake(keys(["Default", "My webshop"])))).toBe("pk_1")
    expect(await playgroundKey(fake(keys(["Default", "Other"])))).toBe("pk_0")
    expect(await playgroundKey(fake([]))).toBeNull()
  })
})
