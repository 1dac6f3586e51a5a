import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { seedDemoData } from "../../src/scripts/demo-data"
import { createAdmin } from "../helpers/admin"
import { errorCode, gql, gqlData, type Headers } from "../helpers/graphql"
import { reindexSearch, waitFor } from "../helpers/search"
import { createPublishableKey, PUBLISHABLE_KEY_HEADER, useStorefrontKey } from "../helpers/storefront"

jest.setTimeout(300 * 1000)

// As in graphql-search.spec.ts: how long a write may take to reach the index.
const FRESHNESS_BOUND_MS = 10_000

const SEARCH = `query ($query: String!) {
  searchProducts(query: $query, first: 50) { totalCount correctedQuery nodes { id title } }
}`

const PREDICTIVE = `query ($query: String!, $limit: Int) {
  predictiveSearch(query: $query, limit: $limit) {
    queries { text styledText }
    products { id title }
    brands { id name }
    categories { id name }
  }
}`

/**
 * "Did you mean" (searchProducts.correctedQuery) and predictive search, on
 * the dictionary of the index's words, and what a caller may be offered
 * from it: a word only a product the caller cannot see holds (a draft,
 * another channel's product) is never a correction or a suggestion for it.
 */
medusaIntegrationTestRunner({
  inApp: true,
  testSuite: ({ api, getContainer }) => {
    let admin: Headers
    let webshopOnly: Headers
    let draftId: string
    let wholesaleOnlyId: string
    let unpublishedId: string

    const search = async (query: string, headers: Headers = {}) => (await gqlData(api, SEARCH, { query }, headers)).searchProducts
    const ids = (r: any) => r.nodes.map((n: any) => n.id)
    const predict = async (query: string, headers: Headers = {}, limit?: number) =>
      (await gqlData(api, PREDICTIVE, { query, limit }, headers)).predictiveSearch
    const texts = (r: any) => r.queries.map((q: any) => q.text)

    const createProduct = async (title: string, status: string, channelIds: string[]) => {
      const res = await api.post(
        "/admin/products",
        {
          title,
          status,
          sales_channels: channelIds.map((id) => ({ id })),
          options: [{ title: "Size", values: ["One"] }],
          variants: [{ title: "One", options: { Size: "One" }, prices: [] }],
        },
        { headers: admin }
      )
      expect(res.status).toBe(200)
      return res.data.product.id as string
    }

    beforeAll(async () => {
      const container = getContainer()
      await seedDemoData(container)
      await useStorefrontKey(api, container)
      admin = (await createAdmin(container, api)).headers
      const query = container.resolve(ContainerRegistrationKeys.QUERY)
      const { data: channels } = await query.graph({ entity: "sales_channel", fields: ["id", "name"] })
      const channel = (name: string) => channels.find((c: any) => c.name === name).id as string
      webshopOnly = { [PUBLISHABLE_KEY_HEADER]: (await createPublishableKey(container, "Webshop only", [channel("Webshop")])).token }

      // Published when the index is built twice: in the version kept from the
      // first build and in the one serving. Unpublished afterwards, which only
      // the serving version follows.
      unpublishedId = await createProduct("Quillwhisk Lantern", "published", [channel("Webshop"), channel("Wholesale")])
      await reindexSearch(container)
      await reindexSearch(container)
      const res = await api.post(`/admin/products/${unpublishedId}`, { status: "draft" }, { headers: admin })
      expect(res.status).toBe(200)
      const left = await waitFor(() => search("quillwhisk"), (r) => r.totalCount === 0, FRESHNESS_BOUND_MS)
      expect(left.value.totalCount).toBe(0)

      draftId = await createProduct("Zyxquorrel Lantern", "draft", [channel("Webshop"), channel("Wholesale")])
      wholesaleOnlyId = await createProduct("Vortigrand Lantern", "published", [channel("Wholesale")])
      for (const [word, id] of [["zyxquorrel", draftId], ["vortigrand", wholesaleOnlyId]] as const) {
        const indexed = await waitFor(() => search(word, admin), (r) => ids(r).includes(id), FRESHNESS_BOUND_MS)
        expect(ids(indexed.value)).toContain(id)
      }
    })

    it("reads the words of the index version the search module searches, not those of the one kept from before", async () => {
      const db = getContainer().resolve(ContainerRegistrationKeys.PG_CONNECTION)
      const indexes = (await db.raw(`SELECT name FROM search_postgres_index ORDER BY name`)).rows.map((r: any) => r.name)
      const counted = (await db.raw(`SELECT DISTINCT index_name FROM search_word ORDER BY index_name`)).rows.map((r: any) => r.index_name)
      // Built twice: the version before the serving one is kept (other processes may still read it), with its words.
      expect(indexes.length).toBe(2)
      expect(counted).toEqual(indexes)
      const published = (await db.raw(
        `SELECT index_name FROM search_word WHERE scope = 'published' AND word = 'quillwhisk' ORDER BY index_name`
      )).rows.map((r: any) => r.index_name)
      expect(published).toEqual(indexes.slice(0, 1))
      // The kept version still counts the unpublished product as published; a storefront is offered nothing of it.
      expect(await predict("quillw")).toMatchObject({ queries: [], products: [] })
      expect(await search("quillwhsk")).toMatchObject({ correctedQuery: null, totalCount: 0 })
      expect(texts(await predict("quillw", admin))).toEqual(["quillwhisk"])
      expect((await search("quillwhsk", admin)).correctedQuery).toBe("quillwhisk")
    })

    it("says nothing when the query matched as typed", async () => {
      const r = await search("backpack")
      expect(r.totalCount).toBeGreaterThan(0)
      expect(r.correctedQuery).toBeNull()
      expect((await search("backp")).correctedQuery).toBeNull()
    })

    it("corrects misspelt words and searches for the correction", async () => {
      const exact = await search("backpack")
      for (const typo of ["bakpack", "backpakc", "bacpack"]) {
        const r = await search(typo)
        expect({ typo, correctedQuery: r.correctedQuery }).toEqual({ typo, correctedQuery: "backpack" })
        expect(new Set(ids(r))).toEqual(new Set(ids(exact)))
      }
      const two = await search("clasic bakpack")
      expect(two.correctedQuery).toBe("classic backpack")
      expect(two.totalCount).toBeGreaterThan(0)
      for (const n of two.nodes) expect(n.title.toLowerCase()).toMatch(/classic backpack/)
      // Nothing close enough: no correction, no hits.
      expect(await search("qqqqzzzzxxxx")).toMatchObject({ totalCount: 0, nodes: [], correctedQuery: null })
    })

    it("never corrects to a word that only products the caller cannot see hold", async () => {
      // A draft's word: an admin is offered it, a storefront is not.
      expect(await search("zyxquorel", admin)).toMatchObject({ correctedQuery: "zyxquorrel", totalCount: 1 })
      expect(await search("zyxquorel")).toMatchObject({ correctedQuery: null, totalCount: 0, nodes: [] })
      // A word of the Wholesale channel's product: the Webshop's key is not offered it.
      expect(await search("vortigrnd")).toMatchObject({ correctedQuery: "vortigrand", totalCount: 1 })
      expect(await search("vortigrnd", webshopOnly)).toMatchObject({ correctedQuery: null, totalCount: 0 })
    })

    describe("predictive search", () => {
      it("completes the last word, marking what was not typed, most found first", async () => {
        const r = await predict("back")
        expect(r.queries[0]).toEqual({ text: "backpack", styledText: "back<mark>pack</mark>" })
        expect(r.products.length).toBeGreaterThan(0)
        for (const p of r.products) expect(p.title.toLowerCase()).toContain("back")
        const two = await predict("Classic Back")
        expect(two.queries[0]).toEqual({ text: "classic backpack", styledText: "classic back<mark>pack</mark>" })
        for (const p of two.products) expect(p.title.toLowerCase()).toMatch(/classic back/)
        // A whole word is offered as it is, with its longer neighbours after it.
        expect((await predict("kettle")).queries[0]).toEqual({ text: "kettle", styledText: "kettle" })
        // Typed markup is escaped, never echoed.
        const markup = await predict("<b>back")
        for (const q of markup.queries) expect(q.styledText).not.toContain("<b>")
      })

      it("lists at most `limit` of each, brands and categories by a word of their name", async () => {
        const r = await predict("c", {}, 2)
        for (const list of [r.queries, r.products, r.brands, r.categories]) expect(list.length).toBeLessThanOrEqual(2)
        expect(r.queries.length).toBe(2)
        expect((await predict("acme")).brands.map((b: any) => b.name)).toContain("Acme Outfitters")
        expect((await predict("outfit")).brands.map((b: any) => b.name)).toContain("Acme Outfitters")
        expect((await predict("jack")).categories.map((c: any) => c.name)).toEqual(["Jackets"])
        expect((await predict("qqqqzzzz"))).toEqual({ queries: [], products: [], brands: [], categories: [] })
      })

      it("offers a storefront nothing it may not see: drafts, other channels' products, hidden categories", async () => {
        // The draft: its word, and the product, for admins only.
        expect(await predict("zyxq")).toEqual({ queries: [], products: [], brands: [], categories: [] })
        const asAdmin = await predict("zyxq", admin)
        expect(texts(asAdmin)).toEqual(["zyxquorrel"])
        expect(asAdmin.products.map((p: any) => p.id)).toEqual([draftId])
        // The Wholesale channel's product: not for the Webshop's key.
        expect(await predict("vortig", webshopOnly)).toMatchObject({ queries: [], products: [] })
        expect(texts(await predict("vortig"))).toEqual(["vortigrand"])
        // "Staff picks" is internal and "Clearance" inactive.
        expect((await predict("staff")).categories).toEqual([])
        expect((await predict("clearance")).categories).toEqual([])
        expect((await predict("staff", admin)).categories.map((c: any) => c.name)).toEqual(["Staff picks"])
        expect((await predict("clearance", admin)).categories.map((c: any) => c.name)).toEqual(["Clearance"])
      })

      it("answers bad input with BAD_USER_INPUT, never a server error", async () => {
        const cases: [string, number | undefined][] = [
          ["", undefined],
          ["   ", undefined],
          ["x".repeat(201), undefined],
          ["bag\u0000", undefined],
          ["back", 0],
          ["back", 11],
          ["back", -1],
        ]
        for (const [query, limit] of cases) {
          const res = await gql(api, PREDICTIVE, { query, limit })
          expect({ query: query.slice(0, 10), limit, status: res.status < 500, code: errorCode(res) }).toEqual({
            query: query.slice(0, 10),
            limit,
            status: true,
            code: "BAD_USER_INPUT",
          })
        }
        // Operators, emoji and other characters outside the Basic Multilingual Plane: an answer, maybe empty.
        for (const query of ["back & !pack | <->", "😀 back", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "'\"%_*:"]) {
          const res = await gql(api, PREDICTIVE, { query })
          expect({ query, errors: res.errors }).toEqual({ query, errors: undefined })
        }
      })
    })

    it("follows the index: a word is offered once its product is published, and no more once it is deleted", async () => {
      // Asked before, so that the answers are in the cache: the index's writes must drop them.
      expect(texts(await predict("zyxq"))).toEqual([])
      const published = await api.post(`/admin/products/${draftId}`, { status: "published" }, { headers: admin })
      expect(published.status).toBe(200)
      const offered = await waitFor(() => search("zyxquorel"), (r) => r.correctedQuery === "zyxquorrel", FRESHNESS_BOUND_MS)
      expect(offered.value).toMatchObject({ correctedQuery: "zyxquorrel", totalCount: 1 })
      expect(texts(await predict("zyxq"))).toEqual(["zyxquorrel"])

      const deleted = await api.delete(`/admin/products/${draftId}`, { headers: admin })
      expect(deleted.status).toBe(200)
      const gone = await waitFor(() => search("zyxquorel", admin), (r) => r.correctedQuery === null, FRESHNESS_BOUND_MS)
      expect(gone.value).toMatchObject({ correctedQuery: null, totalCount: 0 })
      expect(await predict("zyxq", admin)).toMatchObject({ queries: [], products: [] })
      console.log(`dictionary freshness: publish offered after ${offered.ms} ms, delete forgotten after ${gone.ms} ms`)
    })
  },
})
