import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { seedDemoData } from "../../src/scripts/demo-data"
import { createAdmin } from "../helpers/admin"
import { errorCode, gql, gqlData, type Headers } from "../helpers/graphql"
import { reindexSearch, waitFor } from "../helpers/search"
import { useStorefrontKey } from "../helpers/storefront"

jest.setTimeout(300 * 1000)

/**
 * How long a write may take to show in search: events are handled after the
 * write's workflow has returned, by the search module's subscriber. Measured
 * at well under a second on a busy 2-core machine; the bound leaves room.
 */
const FRESHNESS_BOUND_MS = 10_000

const SEARCH = `query ($query: String!, $filter: ProductSearchFilter, $orderBy: ProductSearchOrder,
    $first: Int, $after: String, $last: Int, $before: String) {
  searchProducts(query: $query, filter: $filter, orderBy: $orderBy, first: $first, after: $after, last: $last, before: $before) {
    totalCount
    correctedQuery
    nodes { id title handle brand { id name } }
    edges { cursor node { id } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    facets {
      brands { brand { id name handle } count }
      categories { category { id name } count }
    }
  }
}`

// The freshness tests ask again every 50 ms, and a faceted search costs
// thousands of points: on a fast machine that outruns the default refill. This
// spec measures search, not throttling (graphql-rate-limit.spec.ts does).
const env = { GRAPHQL_RATE_LIMIT_RESTORE_RATE: "1000000" }
Object.assign(process.env, env)

medusaIntegrationTestRunner({
  inApp: true,
  env,
  testSuite: ({ api, getContainer }) => {
    let admin: Headers

    beforeAll(async () => {
      const container = getContainer()
      await seedDemoData(container)
      await useStorefrontKey(api, container)
      await reindexSearch(container)
    })

    beforeEach(async () => {
      admin = (await createAdmin(getContainer(), api)).headers
    })

    const search = async (variables: Record<string, unknown>, headers: Headers = {}) =>
      (await gqlData(api, SEARCH, variables, headers)).searchProducts

    const ids = (r: any) => r.nodes.map((n: any) => n.id)

    it("finds products by title words, with their brand, as many as the products filter finds", async () => {
      const r = await search({ query: "backpack", first: 100 })
      expect(r.totalCount).toBeGreaterThan(0)
      expect(r.nodes.length).toBe(r.totalCount)
      for (const n of r.nodes) expect(n.title.toLowerCase()).toContain("backpack")
      expect(r.nodes.some((n: any) => n.brand?.name)).toBe(true)
      const listed = await gqlData(api, `{ products(first: 100, filter: { title: { contains: "backpack" } }) { totalCount } }`)
      expect(r.totalCount).toBe(listed.products.totalCount)
      expect(r.edges.map((e: any) => e.node.id)).toEqual(ids(r))
    })

    it("tolerates a typo and matches the last word as a prefix", async () => {
      const exact = await search({ query: "backpack", first: 100 })
      const typo = await search({ query: "bakpack", first: 100 })
      expect(typo.totalCount).toBeGreaterThan(0)
      expect(new Set(ids(exact))).toEqual(new Set(ids(typo)))
      expect(typo.correctedQuery).toBe("backpack")
      expect(exact.correctedQuery).toBeNull()
      // A word that matches as typed finds only what it says, not its near neighbours.
      const kettles = await search({ query: "kettle", first: 100 })
      expect(kettles.totalCount).toBeGreaterThan(0)
      for (const n of kettles.nodes) expect(n.title.toLowerCase()).toContain("kettle")
      const prefix = await search({ query: "kett", first: 100 })
      expect(prefix.totalCount).toBeGreaterThan(0)
      for (const n of prefix.nodes) expect(n.title.toLowerCase()).toContain("kettle")
    })

    it("finds a product by a variant's SKU and by its brand's name", async () => {
      const [product] = (await search({ query: "backpack", first: 1 })).nodes
      const { product: full } = await gqlData(api, `query ($id: ID) { product(id: $id) { variants { sku } } }`, { id: product.id })
      const bySku = await search({ query: full.variants[0].sku, first: 5 })
      expect(ids(bySku)).toContain(product.id)
      const byBrand = await search({ query: product.brand.name, first: 100 })
      expect(byBrand.nodes.filter((n: any) => n.brand?.id === product.brand.id).length).toBeGreaterThan(0)
    })

    it("counts facets over what the other filters leave", async () => {
      const all = await search({ query: "backpack", first: 0 })
      expect(all.facets.brands.length).toBeGreaterThan(1)
      const [brand] = all.facets.brands
      const byBrand = await search({ query: "backpack", first: 100, filter: { brandId: [brand.brand.id] } })
      // The brand filter leaves that brand's count; the brand facet ignores the brand filter.
      expect(byBrand.totalCount).toBe(brand.count)
      expect(byBrand.facets.brands).toEqual(all.facets.brands)
      for (const n of byBrand.nodes) expect(n.brand.id).toBe(brand.brand.id)
      // The category facet follows the brand filter.
      for (const c of byBrand.facets.categories) {
        const both = await search({
          query: "backpack",
          first: 0,
          filter: { brandId: [brand.brand.id], categoryId: [c.category.id] },
        })
        expect({ category: c.category.id, count: both.totalCount }).toEqual({ category: c.category.id, count: c.count })
      }
      // A brand with the same category filter: the brand facet follows the category.
      const category = byBrand.facets.categories[0]
      if (category) {
        const byCategory = await search({ query: "backpack", first: 0, filter: { categoryId: [category.category.id] } })
        expect(byCategory.facets.brands.find((b: any) => b.brand.id === brand.brand.id)?.count).toBe(category.count)
      }
    })

    it("drops a search answer when a brand its facets list is renamed", async () => {
      const FACETS = `query ($query: String!, $first: Int) { searchProducts(query: $query, first: $first) {
        nodes { id } facets { brands { brand { id name } count } categories { category { id name } count } } } }`
      const search = (variables: Record<string, unknown>) => gql(api, FACETS, variables)
      const first = await search({ query: "backpack", first: 2 })
      const facets = first.data.searchProducts.facets
      expect(facets.brands.length).toBeGreaterThan(0)
      expect(facets.categories.length).toBeGreaterThan(0)
      expect((await search({ query: "backpack", first: 2 })).headers["x-cache"]).toBe("HIT")

      const [listed] = facets.brands
      const renamed = `${listed.brand.name} Renamed`
      const res = await api.post(`/admin/brands/${listed.brand.id}`, { name: renamed }, { headers: admin })
      expect(res.status).toBe(200)
      try {
        const after = await search({ query: "backpack", first: 2 })
        expect(after.headers["x-cache"]).toBe("MISS")
        expect(after.data.searchProducts.facets.brands.find((b: any) => b.brand.id === listed.brand.id).brand.name).toBe(renamed)
      } finally {
        await api.post(`/admin/brands/${listed.brand.id}`, { name: listed.brand.name }, { headers: admin })
      }
    })

    it("filters by price and orders by price, title and creation", async () => {
      const priced = await search({
        query: "classic",
        first: 100,
        filter: { price: { currencyCode: "EUR", min: "20", max: "60" } },
        orderBy: { field: "PRICE", direction: "ASC" },
      })
      expect(priced.totalCount).toBeGreaterThan(0)
      const all = await search({ query: "classic", first: 100 })
      expect(priced.totalCount).toBeLessThan(all.totalCount)
      const byTitle = await search({ query: "classic", first: 100, orderBy: { field: "TITLE", direction: "DESC" } })
      const titles = byTitle.nodes.map((n: any) => n.title)
      expect(titles).toEqual([...titles].sort((a: string, b: string) => (a < b ? 1 : a > b ? -1 : 0)))
      const noCurrency = await gql(api, SEARCH, { query: "classic", orderBy: { field: "PRICE" } })
      expect(errorCode(noCurrency)).toBe("BAD_USER_INPUT")
    })

    it("counts products by price range in the operation's currency, leaving the price filter out", async () => {
      const PRICES = `query ($q: String!, $filter: ProductSearchFilter, $bounds: [Decimal!]!) @inContext(currencyCode: "eur") {
        searchProducts(query: $q, filter: $filter, first: 0) { totalCount facets { prices(bounds: $bounds) { min max count } } } }`
      const bounds = ["20", "40", "60"]
      const all = (await gqlData(api, PRICES, { q: "classic", bounds })).searchProducts
      expect(all.facets.prices.map((b: any) => [b.min, b.max])).toEqual([[null, "20"], ["20", "40"], ["40", "60"], ["60", null]])
      expect(all.facets.prices.reduce((n: number, b: any) => n + b.count, 0)).toBe(all.totalCount)
      // Each range's count is what the price filter for that range finds.
      for (const bucket of all.facets.prices.filter((b: any) => b.min && b.max)) {
        const filtered = await search({
          query: "classic",
          first: 0,
          filter: { price: { currencyCode: "EUR", min: bucket.min, max: String(Number(bucket.max) - 0.001) } },
        })
        expect({ range: [bucket.min, bucket.max], count: filtered.totalCount }).toEqual({ range: [bucket.min, bucket.max], count: bucket.count })
      }
      // The price facet ignores the price filter; the total follows it.
      const narrowed = (
        await gqlData(api, PRICES, { q: "classic", bounds, filter: { price: { currencyCode: "EUR", min: "20", max: "40" } } })
      ).searchProducts
      expect(narrowed.facets.prices).toEqual(all.facets.prices)
      expect(narrowed.totalCount).toBeLessThan(all.totalCount)

      const noContext = await gqlData(api, `{ searchProducts(query: "classic") { facets { prices { count } } } }`)
      expect(noContext.searchProducts.facets.prices).toEqual([])
      for (const bad of [["40", "20"], ["-1"], Array.from({ length: 21 }, (_, i) => String(i + 1))]) {
        expect(errorCode(await gql(api, PRICES, { q: "classic", bounds: bad }))).toBe("BAD_USER_INPUT")
      }
    })

    it("pages forward and back with cursors, in the index's order", async () => {
      const whole = await search({ query: "classic", first: 12 })
      const first = await search({ query: "classic", first: 5 })
      expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false })
      const second = await search({ query: "classic", first: 5, after: first.pageInfo.endCursor })
      expect(second.pageInfo.hasPreviousPage).toBe(true)
      expect([...ids(first), ...ids(second)]).toEqual(ids(whole).slice(0, 10))
      const back = await search({ query: "classic", last: 3, before: second.pageInfo.startCursor })
      expect(ids(back)).toEqual(ids(whole).slice(2, 5))
      const tail = await search({ query: "classic", last: 2 })
      expect(tail.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true })
      expect(tail.nodes.length).toBe(2)
    })

    it("answers bad input with BAD_USER_INPUT or an empty result, never a server error", async () => {
      for (const query of ["", "   ", "bag\u0000pack", "x".repeat(10_000)]) {
        const res = await gql(api, SEARCH, { query })
        expect(res.status).toBeLessThan(500)
        expect({ query: query.slice(0, 20), code: errorCode(res) }).toEqual({
          query: query.slice(0, 20),
          code: "BAD_USER_INPUT",
        })
      }
      const unknown = await search({ query: "classic", filter: { brandId: ["brand_nope"], categoryId: ["pcat_nope"] } })
      expect(unknown.totalCount).toBe(0)
      expect(unknown.nodes).toEqual([])
      const badCursor = await gql(api, SEARCH, { query: "classic", after: "nope" })
      expect(errorCode(badCursor)).toBe("BAD_USER_INPUT")
      const badCurrency = await gql(api, SEARCH, { query: "classic", filter: { price: { currencyCode: "xxx" } } })
      expect(errorCode(badCurrency)).toBe("BAD_USER_INPUT")
      const nothing = await search({ query: "qqqqzzzzxxxx" })
      expect(nothing).toMatchObject({ totalCount: 0, nodes: [] })
    })

    it("refuses an oversized decimal in a price filter or facet bound as BAD_USER_INPUT, as a variable and inline", async () => {
      const huge = "1" + "0".repeat(400)
      const asVariable = await gql(api, SEARCH, { query: "classic", filter: { price: { currencyCode: "eur", min: huge } } })
      const inline = await gql(api, `{ searchProducts(query: "classic", filter: { price: { currencyCode: "eur", max: "${huge}" } }) { totalCount } }`)
      const bound = await gql(api, `{ searchProducts(query: "classic") { facets { prices(bounds: ["10", "1e400"]) { count } } } }`)
      for (const res of [asVariable, inline, bound]) {
        expect({ status: res.status < 500, code: errorCode(res), text: JSON.stringify(res.body).includes("Infinity") }).toEqual({
          status: true,
          code: "BAD_USER_INPUT",
          text: false,
        })
      }
    })

    it("prices a search page by its hits: facets and counts once per search, the search itself as a scan", async () => {
      let call = 0
      // Another query text each time: an answer held by the response cache would not be costed.
      const cost = async (first: number, selection: string) => {
        const res = await gql(api, `query ($q: String!) { searchProducts(query: $q, first: ${first}) { ${selection} } }`, {
          q: `nothing-like-this-${++call}`,
        })
        expect(res.errors).toBeUndefined()
        return res.body.extensions.cost.requestedQueryCost as number
      }
      const page = SEARCH.slice(SEARCH.indexOf("totalCount"), SEARCH.lastIndexOf("}", SEARCH.lastIndexOf("}") - 1))
      const hits = `nodes { id title handle brand { id name } } edges { cursor node { id } }`
      // Fifty hits cost more than one by the hits alone, not by the facets and count beside them.
      expect((await cost(50, page)) - (await cost(1, page))).toBe((await cost(50, hits)) - (await cost(1, hits)))
      // A normal page of 50 hits with facets stays well under the cost limit (50,000).
      expect(await cost(50, page)).toBeLessThan(10_000)
      // The count alone is a search: a scan, priced as a contains filter is (1,000).
      expect(await cost(1, "totalCount")).toBeGreaterThan(1_000)
    })

    describe("freshness", () => {
      const found = (query: string, headers: Headers = {}) => () => search({ query, first: 20 }, headers)

      it("shows a created product, a renamed brand and a deleted product within the bound", async () => {
        const created = await api.post(
          "/admin/products",
          {
            title: "Quixotic Zeppelin",
            status: "published",
            options: [{ title: "Size", values: ["One"] }],
            variants: [{ title: "One", sku: "QZ-1", options: { Size: "One" }, prices: [] }],
          },
          { headers: admin }
        )
        expect(created.status).toBe(200)
        const productId = created.data.product.id
        // Admins see every product, whatever its channels.
        const appeared = await waitFor(found("zeppelin", admin), (r) => ids(r).includes(productId), FRESHNESS_BOUND_MS)
        expect(ids(appeared.value)).toContain(productId)
        console.log(`search freshness: create visible after ${appeared.ms} ms`)

        // Renaming a brand re-indexes its products under the new name.
        const [hit] = (await search({ query: "backpack", first: 1 })).nodes
        const renamed = await gqlData(
          api,
          `mutation ($id: ID!) { brandUpdate(id: $id, input: { name: "Xylophonic Works" }) { userErrors { message } } }`,
          { id: hit.brand.id },
          admin
        )
        expect(renamed.brandUpdate.userErrors).toEqual([])
        const rename = await waitFor(found("xylophonic"), (r) => ids(r).includes(hit.id), FRESHNESS_BOUND_MS)
        expect(ids(rename.value)).toContain(hit.id)
        console.log(`search freshness: brand rename visible after ${rename.ms} ms`)

        const deleted = await api.delete(`/admin/products/${productId}`, { headers: admin })
        expect(deleted.status).toBe(200)
        const gone = await waitFor(found("zeppelin", admin), (r) => !ids(r).includes(productId), FRESHNESS_BOUND_MS)
        expect(ids(gone.value)).not.toContain(productId)
        console.log(`search freshness: delete visible after ${gone.ms} ms`)
      })

      it("follows a price, a brand link, a category, a collection and the brand facet after a rename", async () => {
        const FIELDS = `{ product(id: $id) { variants { id } brand { id } } }`
        const [mug] = (await search({ query: "mug", first: 1 }, admin)).nodes
        const { product } = await gqlData(api, `query ($id: ID) ${FIELDS}`, { id: mug.id }, admin)
        const inRange = (min: string, max: string) => () =>
          search({ query: "mug", first: 50, filter: { price: { currencyCode: "EUR", min, max } } }, admin)

        // A price no demo product has: only this mug is in the range once it is written.
        for (const v of product.variants) {
          const res = await api.post(
            `/admin/products/${mug.id}/variants/${v.id}`,
            { prices: [{ currency_code: "eur", amount: 7777 }] },
            { headers: admin }
          )
          expect(res.status).toBe(200)
        }
        const priced = await waitFor(inRange("7000", "8000"), (r) => ids(r).includes(mug.id), FRESHNESS_BOUND_MS)
        expect(ids(priced.value)).toEqual([mug.id])

        // Linked to another brand: found by that brand's name, and counted in its facet.
        const other = (await search({ query: "kettle", first: 20 }, admin)).nodes.find(
          (n: any) => n.brand && n.brand.id !== product.brand?.id
        )
        const linked = await gqlData(
          api,
          `mutation ($p: ID!, $b: ID!) { productSetBrand(productId: $p, brandId: $b) { userErrors { message } } }`,
          { p: mug.id, b: other.brand.id },
          admin
        )
        expect(linked.productSetBrand.userErrors).toEqual([])
        const byBrand = () => search({ query: "mug", first: 50, filter: { brandId: [other.brand.id] } }, admin)
        const relinked = await waitFor(byBrand, (r) => ids(r).includes(mug.id), FRESHNESS_BOUND_MS)
        expect(ids(relinked.value)).toContain(mug.id)

        // Filed under a new category and a new collection through admin REST.
        const category = await api.post(
          "/admin/product-categories",
          { name: "Fresh Finds", is_active: true, is_internal: false },
          { headers: admin }
        )
        const collection = await api.post("/admin/collections", { title: "Fresh Drop" }, { headers: admin })
        const filed = await api.post(
          `/admin/products/${mug.id}`,
          { categories: [{ id: category.data.product_category.id }], collection_id: collection.data.collection.id },
          { headers: admin }
        )
        expect(filed.status).toBe(200)
        // Hits and facets are separate statements over the index: a write landing between them
        // shows in one before the other, so wait for both.
        const inCategory = await waitFor(
          () => search({ query: "mug", first: 50, filter: { categoryId: [category.data.product_category.id] } }, admin),
          (r) =>
            ids(r).includes(mug.id) && r.facets.categories.some((c: any) => c.category.id === category.data.product_category.id),
          FRESHNESS_BOUND_MS
        )
        expect(inCategory.value.facets.categories.map((c: any) => c.category.id)).toContain(
          category.data.product_category.id
        )
        const inCollection = await search(
          { query: "mug", first: 50, filter: { collectionId: [collection.data.collection.id] } },
          admin
        )
        expect(ids(inCollection)).toEqual([mug.id])

        // The brand's new name shows in the facet of a search that finds its products.
        await gqlData(
          api,
          `mutation ($id: ID!) { brandUpdate(id: $id, input: { name: "Quillwort Labs" }) { userErrors { message } } }`,
          { id: other.brand.id },
          admin
        )
        const facet = await waitFor(
          () => search({ query: "mug", first: 0 }, admin),
          (r) => r.facets.brands.some((b: any) => b.brand.id === other.brand.id && b.brand.name === "Quillwort Labs"),
          FRESHNESS_BOUND_MS
        )
        expect(facet.value.facets.brands.find((b: any) => b.brand.id === other.brand.id).brand.name).toBe("Quillwort Labs")
        const byNewName = await waitFor(found("quillwort", admin), (r) => ids(r).includes(mug.id), FRESHNESS_BOUND_MS)
        expect(ids(byNewName.value)).toContain(mug.id)
        console.log(
          `search freshness: price ${priced.ms} ms, brand link ${relinked.ms} ms, category ${inCategory.ms} ms, rename ${byNewName.ms} ms`
        )
      })

      it("forgets a deleted brand: its filter finds nothing, its products stay findable", async () => {
        const { brands } = (await search({ query: "lamp", first: 0 }, admin)).facets
        const brand = brands[0].brand
        const before = await search({ query: "lamp", first: 50, filter: { brandId: [brand.id] } }, admin)
        expect(before.totalCount).toBeGreaterThan(0)
        const deleted = await gqlData(
          api,
          `mutation ($id: ID!) { brandDelete(id: $id) { userErrors { message } } }`,
          { id: brand.id },
          admin
        )
        expect(deleted.brandDelete.userErrors).toEqual([])
        const gone = await waitFor(
          () => search({ query: "lamp", first: 50, filter: { brandId: [brand.id] } }, admin),
          (r) => r.totalCount === 0,
          FRESHNESS_BOUND_MS
        )
        expect(gone.value.totalCount).toBe(0)
        const all = await search({ query: "lamp", first: 100 }, admin)
        expect(ids(all)).toEqual(expect.arrayContaining(ids(before)))
        expect(all.facets.brands.map((b: any) => b.brand.id)).not.toContain(brand.id)
        console.log(`search freshness: brand delete visible after ${gone.ms} ms`)
      })

      it("drops an unpublished product from storefront searches, counts included", async () => {
        const before = await search({ query: "kettle", first: 100 })
        const [kettle] = before.nodes
        const res = await api.post(`/admin/products/${kettle.id}`, { status: "draft" }, { headers: admin })
        expect(res.status).toBe(200)
        // The product is read through the catalog, so it is hidden at once;
        // the count follows once the index has the change.
        const after = await waitFor(
          found("kettle"),
          (r) => r.totalCount === before.totalCount - 1,
          FRESHNESS_BOUND_MS
        )
        expect(ids(after.value)).not.toContain(kettle.id)
        expect(after.value.totalCount).toBe(before.totalCount - 1)
        const asAdmin = await search({ query: "kettle", first: 100 }, admin)
        expect(ids(asAdmin)).toContain(kettle.id)
      })
    })
  },
})
