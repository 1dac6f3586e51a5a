import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { Modules } from "@medusajs/framework/utils"
import { seedDemoData } from "../../src/scripts/demo-data"
import { oneStatementSearch } from "../../src/modules/search-postgres/one-statement-search"
import { createAdmin } from "../helpers/admin"
import { countStatements, gqlData, type Headers } from "../helpers/graphql"
import { reindexSearch, waitFor } from "../helpers/search"
import { useStorefrontKey } from "../helpers/storefront"

jest.setTimeout(300 * 1000)

const SEARCH = `query ($query: String!, $filter: ProductSearchFilter, $orderBy: ProductSearchOrder,
    $first: Int, $after: String, $last: Int) @inContext(currencyCode: "EUR") {
  searchProducts(query: $query, filter: $filter, orderBy: $orderBy, first: $first, after: $after, last: $last) {
    totalCount
    nodes { id title }
    pageInfo { endCursor }
    facets {
      brands { brand { id } count }
      categories { category { id } count }
      prices(bounds: ["20", "50", "100"]) { min max count }
    }
  }
}`

/** The searches a storefront and a back office make: words, prefixes, typos, filters, orders, pages. */
const SEARCHES: Record<string, unknown>[] = [
  { query: "backpack", first: 5 },
  { query: "kett", first: 20 },
  { query: "bakpack", first: 5 },
  { query: "shirt", first: 3, orderBy: { field: "TITLE", direction: "DESC" } },
  { query: "b", first: 10, orderBy: { field: "CREATED_AT" } },
  { query: "backpack", first: 2, orderBy: { field: "RELEVANCE", direction: "DESC" } },
  { query: "backpack", first: 10, filter: { price: { currencyCode: "EUR", min: "10", max: "200" } }, orderBy: { field: "PRICE" } },
  { query: "the", first: 5 },
  { query: "backpack", last: 2 },
]

medusaIntegrationTestRunner({
  inApp: true,
  testSuite: ({ api, getContainer }) => {
    let admin: Headers
    let provider: any

    beforeAll(async () => {
      const container = getContainer()
      await seedDemoData(container)
      await useStorefrontKey(api, container)
      await reindexSearch(container)
      provider = (container.resolve(Modules.SEARCH) as any).searchProviderService_.list()[0]
    })

    beforeEach(async () => {
      admin = (await createAdmin(getContainer(), api)).headers
    })

    // Each request carries a variable the operation does not use, with a new value: no answer
    // comes from the response cache, every search reaches the provider.
    let nonce = 0
    const search = async (variables: Record<string, unknown>, headers: Headers = {}) =>
      (await gqlData(api, SEARCH, { ...variables, nonce: ++nonce }, headers)).searchProducts

    /** What the Search Module asked the provider while `run` ran. */
    async function providerInputs(run: () => Promise<unknown>): Promise<any[]> {
      const inputs: any[] = []
      const original = provider.search
      provider.search = async (input: any) => {
        inputs.push(input)
        return original.call(provider, input)
      }
      try {
        await run()
      } finally {
        provider.search = original
      }
      return inputs
    }

    /** Once the copy is filled, the provider's searches come from it. */
    async function replicaReady(): Promise<void> {
      const [input] = await providerInputs(() => search({ query: "backpack", first: 1 }))
      const { value } = await waitFor(() => provider.replicas.search(input), (answer) => answer !== null, 20_000)
      expect(value).not.toBeNull()
    }

    const withoutTiming = (answer: any) => answer && { ...answer, metadata: { ...answer.metadata, processing_time_ms: 0 } }

    /** Each recorded search answered from the copy and by PostgreSQL's one statement: the same answer. */
    async function expectSameAnswers(inputs: any[]): Promise<number> {
      let fromCopy = 0
      for (const input of inputs) {
        const copy = await provider.replicas.search(input)
        const database = await oneStatementSearch(provider, input)
        if (input.search_options?.typo_tolerance) {
          // Typo tolerance is PostgreSQL's (pg_trgm); the copy leaves it there.
          expect(copy).toBeNull()
          continue
        }
        expect({ input, answer: withoutTiming(copy) }).toEqual({ input, answer: withoutTiming(database) })
        fromCopy++
      }
      return fromCopy
    }

    it("answers each search as PostgreSQL does: the same hits, order, counts and facets", async () => {
      await replicaReady()
      const inputs = await providerInputs(async () => {
        for (const variables of SEARCHES) {
          await search(variables)
          await search(variables, admin)
        }
        // A filtered brand facet is a search of its own (disjunctive facets).
        const [brand] = (await search({ query: "backpack", first: 1 })).facets.brands
        await search({ query: "backpack", first: 3, filter: { brandId: [brand.brand.id] } })
        await search({ query: "backpack", first: 3, filter: { brandId: [brand.brand.id], categoryId: ["none"] } })
        const page = await search({ query: "b", first: 4 })
        await search({ query: "b", first: 4, after: page.pageInfo.endCursor })
      })
      expect(inputs.length).toBeGreaterThan(SEARCHES.length * 2)
      expect(await expectSameAnswers(inputs)).toBeGreaterThan(SEARCHES.length * 2)
    })

    it("leaves a search the provider rejects to PostgreSQL's error, and keeps answering the rest", async () => {
      await replicaReady()
      const [input] = await providerInputs(() => search({ query: "backpack", first: 1 }))
      const bad = { ...input, search_options: { ...input.search_options, facets: [{ field: "title", type: "value" }] } }
      expect(await provider.replicas.search(bad)).toBeNull()
      await expect(provider.search(bad)).rejects.toThrow(/not facetable/)
      expect(await provider.replicas.search(input)).not.toBeNull()
    })

    it("reads no index rows once the copy is current", async () => {
      await replicaReady()
      const overIndex = (statements: string[]) => statements.filter((s) => /"search_pg_/.test(s))
      const plain = await countStatements(() => search({ query: "backpack", first: 5 }, admin))
      expect(plain.result.totalCount).toBeGreaterThan(0)
      expect(overIndex(plain.statements)).toEqual([])
      const [brand] = plain.result.facets.brands
      const filtered = await countStatements(() => search({ query: "backpack", first: 5, filter: { brandId: [brand.brand.id] } }, admin))
      expect(filtered.result.totalCount).toBe(brand.count)
      expect(overIndex(filtered.statements)).toEqual([])
    })

    it("without the copy, reads the index once per provider search: hits, count and facets together", async () => {
      const overIndex = (statements: string[]) => statements.filter((s) => /"search_pg_/.test(s))
      const [brand] = (await search({ query: "backpack", first: 1 })).facets.brands
      const plain = await providerInputs(() => search({ query: "backpack", first: 5 }, admin))
      // The brand facet leaves the brand filter out: the Search Module asks for it apart.
      const filtered = await providerInputs(() => search({ query: "backpack", first: 5, filter: { brandId: [brand.brand.id] } }, admin))
      expect([plain.length, filtered.length]).toEqual([1, 2])
      for (const input of [...plain, ...filtered]) {
        const { result, statements } = await countStatements(() => oneStatementSearch(provider, input))
        expect(result).not.toBeNull()
        expect(overIndex(statements)).toHaveLength(1)
      }
    })

    it("follows a rename, a new product and a deletion as PostgreSQL does", async () => {
      await replicaReady()
      const [hit] = (await search({ query: "backpack", first: 1 }, admin)).nodes
      const renamed = await api.post(`/admin/products/${hit.id}`, { title: "Marmalade Backpack" }, { headers: admin })
      expect(renamed.status).toBe(200)
      const created = await api.post(
        "/admin/products",
        {
          title: "Marmalade Kettle",
          status: "published",
          options: [{ title: "Size", values: ["One"] }],
          variants: [{ title: "One", sku: "MK-1", options: { Size: "One" }, prices: [{ amount: 30, currency_code: "eur" }] }],
        },
        { headers: admin }
      )
      expect(created.status).toBe(200)
      const marmalade = () => search({ query: "marmalade", first: 10 }, admin)
      const both = await waitFor(marmalade, (r) => r.totalCount === 2)
      expect(both.value.totalCount).toBe(2)

      const deleted = await api.delete(`/admin/products/${created.data.product.id}`, { headers: admin })
      expect(deleted.status).toBe(200)
      const one = await waitFor(marmalade, (r) => r.totalCount === 1)
      expect(one.value.nodes.map((n: any) => n.id)).toEqual([hit.id])

      const inputs = await providerInputs(async () => {
        await search({ query: "marmalade", first: 10 }, admin)
        await search({ query: "marmalade", first: 10 })
        await search({ query: "backpack", first: 20 })
      })
      expect(await expectSameAnswers(inputs)).toBe(inputs.length)
    })
  },
})
