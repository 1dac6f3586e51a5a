import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import {
  createCollectionsWorkflow,
  createProductCategoriesWorkflow,
  createProductsWorkflow,
  createProductTagsWorkflow,
  createSalesChannelsWorkflow,
} from "@medusajs/medusa/core-flows"
import { buildSchema } from "../../src/graphql/schema"
import { createBrandsWorkflow } from "../../src/workflows/create-brands"
import { createAdmin } from "../helpers/admin"
import { errorCode, gql, type Headers } from "../helpers/graphql"
import { reindexSearch, waitFor } from "../helpers/search"
import { createPublishableKey, PUBLISHABLE_KEY_HEADER } from "../helpers/storefront"

jest.setTimeout(240 * 1000)

/**
 * The products of this file, each with its channels, status, brand,
 * category, collection and tags. Every caller kind must see the same set of
 * them at every entry point that returns products.
 */
type Fixture = {
  key: string
  channels: ("A" | "B")[]
  status: "published" | "draft"
  brand: 0 | 1 | null
  category?: boolean
  collection?: boolean
  tag?: boolean
}
const FIXTURES: Fixture[] = [
  { key: "a", channels: ["A"], status: "published", brand: 0, category: true, tag: true },
  { key: "b", channels: ["B"], status: "published", brand: 0, collection: true, tag: true },
  { key: "ab", channels: ["A", "B"], status: "published", brand: 1, category: true, collection: true },
  { key: "none", channels: [], status: "published", brand: 1, category: true, tag: true },
  { key: "draft-a", channels: ["A"], status: "draft", brand: 0, collection: true },
  { key: "unbranded-a", channels: ["A"], status: "published", brand: null, tag: true },
  { key: "unbranded-b", channels: ["B"], status: "published", brand: null, category: true },
]

type CallerKind = "admin" | "key A" | "key B" | "key A+B"
const CALLERS: CallerKind[] = ["admin", "key A", "key B", "key A+B"]

/** What each caller may see: admins everything; a key, published products in one of its channels. */
function visibleTo(caller: CallerKind, f: Fixture): boolean {
  if (caller === "admin") return true
  const channels = caller === "key A" ? ["A"] : caller === "key B" ? ["B"] : ["A", "B"]
  return f.status === "published" && f.channels.some((c) => channels.includes(c))
}

/** Root fields that return products (directly, through Node, or through a brand's products). */
const PRODUCT_ROOTS = ["products", "product", "node", "nodes", "brand", "brands", "searchProducts", "predictiveSearch"]

/** A word only this fixture's product holds (its subtitle), for the search index's dictionary. */
const markerOf = (f: Fixture) => `marker${f.key.replace(/-/g, "")}`

medusaIntegrationTestRunner({
  inApp: true,
  testSuite: ({ api, getContainer }) => {
    const ids: Record<string, string> = {}
    const handles: Record<string, string> = {}
    const brandIds: string[] = []
    const channelIds: Record<"A" | "B", string> = { A: "", B: "" }
    let categoryId = ""
    let collectionId = ""
    const headers: Record<string, Headers> = {}
    let admin: Headers

    beforeAll(async () => {
      const container = getContainer()
      const { result: channels } = await createSalesChannelsWorkflow(container).run({
        input: { salesChannelsData: [{ name: "Channel A" }, { name: "Channel B" }] },
      })
      channelIds.A = channels[0].id
      channelIds.B = channels[1].id
      const { result: brands } = await createBrandsWorkflow(container).run({
        input: { brands: [{ name: "Visibility One" }, { name: "Visibility Two" }] },
      })
      brandIds.push(...brands.map((b) => b.id))
      const { result: categories } = await createProductCategoriesWorkflow(container).run({
        input: { product_categories: [{ name: "Visible things", is_active: true }] },
      })
      categoryId = categories[0].id
      const { result: collections } = await createCollectionsWorkflow(container).run({
        input: { collections: [{ title: "Visible collection" }] },
      })
      collectionId = collections[0].id
      const { result: tags } = await createProductTagsWorkflow(container).run({
        input: { product_tags: [{ value: "visible-tag" }] },
      })
      for (const f of FIXTURES) {
        const { result } = await createProductsWorkflow(container).run({
          input: {
            products: [
              {
                title: `Visibility ${f.key}`,
                subtitle: markerOf(f),
                status: f.status,
                options: [{ title: "Default", values: ["Default"] }],
                sales_channels: f.channels.map((c) => ({ id: channelIds[c] })),
                category_ids: f.category ? [categoryId] : [],
                collection_id: f.collection ? collectionId : undefined,
                tag_ids: f.tag ? [tags[0].id] : [],
              },
            ],
            additional_data: f.brand === null ? undefined : { brand_id: brandIds[f.brand] },
          },
        })
        ids[f.key] = result[0].id
        handles[f.key] = result[0].handle
      }
      await reindexSearch(container)
      headers["key A"] = { [PUBLISHABLE_KEY_HEADER]: (await createPublishableKey(container, "A", [channelIds.A])).token }
      headers["key B"] = { [PUBLISHABLE_KEY_HEADER]: (await createPublishableKey(container, "B", [channelIds.B])).token }
      headers["key A+B"] = {
        [PUBLISHABLE_KEY_HEADER]: (await createPublishableKey(container, "A+B", [channelIds.A, channelIds.B])).token,
      }
    })

    beforeEach(async () => {
      admin = (await createAdmin(getContainer(), api)).headers
      headers.admin = admin
    })

    const all = () => FIXTURES.map((f) => ids[f.key])
    const keysOf = (found: string[]) => FIXTURES.filter((f) => found.includes(ids[f.key])).map((f) => f.key).sort()
    const expected = (caller: CallerKind, where: (f: Fixture) => boolean = () => true) =>
      FIXTURES.filter((f) => visibleTo(caller, f) && where(f)).map((f) => f.key).sort()

    async function data(query: string, variables: Record<string, unknown>, h: Headers) {
      const res = await gql(api, query, variables, h)
      if (res.errors?.length) throw new Error(`${query}: ${JSON.stringify(res.errors)}`)
      return res.data
    }

    /** A filtered product list, through `products` and through each brand's `products`, with counts. */
    async function listed(h: Headers, filter: Record<string, unknown>) {
      const d = await data(
        `query ($filter: ProductFilter, $brands: [ID!]) {
          products(first: 100, filter: $filter) { totalCount nodes { id } }
          brands(first: 10, filter: { id: { in: $brands } }) { nodes { products(first: 100, filter: $filter) { totalCount nodes { id } } } }
        }`,
        { filter: { ...filter, id: { in: all() } }, brands: brandIds },
        h
      )
      const viaBrands = d.brands.nodes.flatMap((b: any) => b.products.nodes.map((p: any) => p.id))
      const brandCounts = d.brands.nodes.reduce((n: number, b: any) => n + b.products.totalCount, 0)
      return {
        products: keysOf(d.products.nodes.map((p: any) => p.id)),
        productsCount: d.products.totalCount,
        brandProducts: keysOf(viaBrands),
        brandProductsCount: brandCounts,
      }
    }

    /** Looks each fixture up one by one (`$v`, aliased `found`); the keys of those found. */
    async function lookUpEach(h: Headers, query: string, valueOf: (f: Fixture) => string) {
      const found: string[] = []
      for (const f of FIXTURES) {
        const d = await data(query, { v: valueOf(f) }, h)
        if (d.found) found.push(d.found.id)
      }
      return keysOf(found)
    }

    /** A search that matches every fixture: hits, count and brand facet counts. */
    async function searched(h: Headers) {
      const d = await data(
        `{ searchProducts(query: "Visibility", first: 100) {
            totalCount nodes { id } edges { node { id } }
            facets { brands { brand { id } count } categories { category { id } count } }
        } }`,
        {},
        h
      )
      const r = d.searchProducts
      expect(r.edges.map((e: any) => e.node.id)).toEqual(r.nodes.map((n: any) => n.id))
      const facet = (id: string) => r.facets.brands.find((b: any) => b.brand.id === id)?.count ?? 0
      const category = r.facets.categories.find((c: any) => c.category.id === categoryId)?.count ?? 0
      return {
        keys: keysOf(r.nodes.map((n: any) => n.id)),
        count: r.totalCount,
        brandCounts: brandIds.map(facet),
        categoryCount: category,
      }
    }

    /** Every entry point, for one caller: the fixture keys each one returns. */
    const ENTRY_POINTS: Record<string, (h: Headers) => Promise<string[]>> = {
      products: async (h) => (await listed(h, {})).products,
      "products totalCount": async (h) => [`${(await listed(h, {})).productsCount} products`],
      "product(id)": (h) => lookUpEach(h, `query ($v: ID) { found: product(id: $v) { id } }`, (f) => ids[f.key]),
      "product(handle)": (h) => lookUpEach(h, `query ($v: String) { found: product(handle: $v) { id } }`, (f) => handles[f.key]),
      "node(id)": (h) => lookUpEach(h, `query ($v: ID!) { found: node(id: $v) { id } }`, (f) => ids[f.key]),
      nodes: async (h) => {
        const d = await data(`query ($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: all() }, h)
        return keysOf(d.nodes.filter(Boolean).map((n: any) => n.id))
      },
      "brand(id).products": async (h) => {
        const found: string[] = []
        for (const id of brandIds) {
          const d = await data(`query ($id: ID) { brand(id: $id) { products(first: 100) { nodes { id } } } }`, { id }, h)
          found.push(...d.brand.products.nodes.map((p: any) => p.id))
        }
        return keysOf(found)
      },
      "Brand.products": async (h) => (await listed(h, {})).brandProducts,
      "Brand.products totalCount": async (h) => [`${(await listed(h, {})).brandProductsCount} products`],
      searchProducts: async (h) => (await searched(h)).keys,
      "searchProducts totalCount": async (h) => [`${(await searched(h)).count} products`],
      "searchProducts brand facets": async (h) => (await searched(h)).brandCounts.map((n) => `${n} products`),
      "searchProducts category facet": async (h) => [`${(await searched(h)).categoryCount} products`],
      "predictiveSearch products": async (h) => {
        const d = await data(`{ predictiveSearch(query: "Visibility", limit: 10) { products { id } } }`, {}, h)
        return keysOf(d.predictiveSearch.products.map((p: any) => p.id))
      },
      // Query suggestions come from the index's words: each fixture's marker word only when its product is visible.
      "predictiveSearch queries": async (h) => {
        const d = await data(`{ predictiveSearch(query: "marker", limit: 10) { queries { text } } }`, {}, h)
        const offered = d.predictiveSearch.queries.map((q: any) => q.text)
        return FIXTURES.filter((f) => offered.includes(markerOf(f))).map((f) => f.key).sort()
      },
    }

    /** Per entry point, what the caller must see. */
    const EXPECTED: Record<string, (caller: CallerKind) => string[]> = {
      products: (c) => expected(c),
      "products totalCount": (c) => [`${expected(c).length} products`],
      "product(id)": (c) => expected(c),
      "product(handle)": (c) => expected(c),
      "node(id)": (c) => expected(c),
      nodes: (c) => expected(c),
      "brand(id).products": (c) => expected(c, (f) => f.brand !== null),
      "Brand.products": (c) => expected(c, (f) => f.brand !== null),
      "Brand.products totalCount": (c) => [`${expected(c, (f) => f.brand !== null).length} products`],
      searchProducts: (c) => expected(c),
      "searchProducts totalCount": (c) => [`${expected(c).length} products`],
      "searchProducts brand facets": (c) => [0, 1].map((b) => `${expected(c, (f) => f.brand === b).length} products`),
      "searchProducts category facet": (c) => [`${expected(c, (f) => !!f.category).length} products`],
      "predictiveSearch products": (c) => expected(c),
      "predictiveSearch queries": (c) => expected(c),
    }

    /** Every filter, through `products` and `Brand.products`, counts included. */
    const FILTERS: Record<string, { filter: () => Record<string, unknown>; where: (f: Fixture) => boolean }> = {
      "hasBrand: false": { filter: () => ({ hasBrand: false }), where: (f) => f.brand === null },
      "hasBrand: true": { filter: () => ({ hasBrand: true }), where: (f) => f.brand !== null },
      brandId: { filter: () => ({ brandId: { eq: brandIds[0] } }), where: (f) => f.brand === 0 },
      "title contains": { filter: () => ({ title: { contains: "isibility a" } }), where: (f) => f.key.startsWith("a") },
      status: { filter: () => ({ status: ["PUBLISHED"] }), where: (f) => f.status === "published" },
      categoryId: { filter: () => ({ categoryId: { eq: categoryId } }), where: (f) => !!f.category },
      collectionId: { filter: () => ({ collectionId: { in: [collectionId] } }), where: (f) => !!f.collection },
      tag: { filter: () => ({ tag: ["visible-tag"] }), where: (f) => !!f.tag },
    }

    it("covers every root field that can return a product", () => {
      const roots = Object.entries(buildSchema().getQueryType()!.getFields())
        .filter(([, field]) => /Product|Brand|Node|PredictiveSearch/.test(field.type.toString()))
        .map(([name]) => name)
      // A new entry point must be added to ENTRY_POINTS, and its root field here.
      expect(roots.sort()).toEqual([...PRODUCT_ROOTS].sort())
    })

    describe.each(CALLERS)("%s", (caller) => {
      it.each(Object.keys(ENTRY_POINTS))("sees the same products through %s", async (entry) => {
        expect(await ENTRY_POINTS[entry](headers[caller])).toEqual(EXPECTED[entry](caller))
      })

      it.each(Object.keys(FILTERS))("sees the same products with the filter %s, counts included", async (name) => {
        const { filter, where } = FILTERS[name]
        const l = await listed(headers[caller], filter())
        const want = expected(caller, where)
        const wantBranded = expected(caller, (f) => where(f) && f.brand !== null)
        expect(l.products).toEqual(want)
        expect(l.productsCount).toBe(want.length)
        expect(l.brandProducts).toEqual(wantBranded)
        expect(l.brandProductsCount).toBe(wantBranded.length)
      })
    })

    describe("callers without a valid publishable key", () => {
      it("read nothing: no key, an unknown key and a revoked key each have their own code", async () => {
        const revoked = await createPublishableKey(getContainer(), "Revoked", [channelIds.A])
        const revoke = await api.post(`/admin/api-keys/${revoked.id}/revoke`, {}, { headers: admin })
        expect(revoke.status).toBe(200)
        for (const [h, code] of [
          [{}, "PUBLISHABLE_KEY_REQUIRED"],
          [{ [PUBLISHABLE_KEY_HEADER]: "pk_unknown" }, "PUBLISHABLE_KEY_INVALID"],
          [{ [PUBLISHABLE_KEY_HEADER]: revoked.token }, "PUBLISHABLE_KEY_INVALID"],
        ] as const) {
          for (const query of [`{ products { nodes { id } } }`, `{ brands { totalCount } }`, `{ node(id: "${ids.a}") { id } }`]) {
            const res = await gql(api, query, {}, h)
            expect({ query, code: errorCode(res), data: res.data }).toEqual({ query, code, data: undefined })
          }
        }
      })

      it("may still introspect and ask for __typename, so that the playground and codegen start", async () => {
        const res = await gql(api, `{ __typename __schema { queryType { name } } }`)
        expect(res.errors).toBeUndefined()
        expect(res.data).toEqual({ __typename: "Query", __schema: { queryType: { name: "Query" } } })
      })
    })

    describe("sales channels", () => {
      it("lets admins filter by sales channel, and refuses that filter to storefronts", async () => {
        const adminList = await listed(admin, { salesChannelId: { eq: channelIds.A } })
        expect(adminList.products).toEqual(FIXTURES.filter((f) => f.channels.includes("A")).map((f) => f.key).sort())
        const res = await gql(api, `{ products(filter: { salesChannelId: { eq: "${channelIds.A}" } }) { nodes { id } } }`, {}, headers["key A"])
        expect(errorCode(res)).toBe("BAD_USER_INPUT")
        expect(res.errors![0].extensions!.argument).toBe("filter.salesChannelId")
      })

      it("gives the same products as Medusa's GET /store/products for the same key", async () => {
        for (const caller of ["key A", "key B", "key A+B"] as const) {
          const store = await api.get(`/store/products`, {
            params: { id: all(), limit: 50, fields: "id" },
            headers: headers[caller],
          })
          const graph = (await listed(headers[caller], {})).products
          expect({ caller, ids: graph }).toEqual({ caller, ids: keysOf(store.data.products.map((p: any) => p.id)) })
        }
      })

      it("hides a product removed from a channel at the storefront's next read, cached or not", async () => {
        const before = await listed(headers["key A"], {})
        expect(before.products).toContain("ab")
        const res = await api.post(`/admin/sales-channels/${channelIds.A}/products`, { remove: [ids.ab] }, { headers: admin })
        expect(res.status).toBe(200)
        const after = await listed(headers["key A"], {})
        expect(after.products).not.toContain("ab")
        expect(after.productsCount).toBe(before.productsCount - 1)
        // Search hides it at once (hits are read through the catalog), and
        // its count follows once the unlink event has reached the index.
        const searchedAfter = await waitFor(
          () => searched(headers["key A"]),
          (r) => r.count === before.productsCount - 1,
          10_000
        )
        expect(searchedAfter.value.keys).toEqual(after.products)
        expect(searchedAfter.value.count).toBe(before.productsCount - 1)
        // Still in channel B, so the other storefront keeps it.
        expect((await listed(headers["key B"], {})).products).toContain("ab")
      })
    })
  },
})
