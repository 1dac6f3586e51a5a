import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import {
  BrandCatalogDocument,
  BrandPageDocument,
  CreateBrandDocument,
  ProductDetailDocument,
  ProductListingDocument,
  PredictiveSearchDocument,
  ProductPageDocument,
  SearchPageDocument,
  SearchProductsDocument,
  SetProductBrandDocument,
} from "../../src/graphql/__generated__/client/graphql"
import { DEMO_BRANDS, DEMO_CHANNELS, DEMO_OPTION_TITLE, DEMO_SALE, demoProduct, seedDemoData } from "../../src/scripts/demo-data"
import { DEMO_CATEGORY_TRANSLATIONS, DEMO_OPTION_TRANSLATIONS, demoProductTranslation } from "../../src/scripts/demo-translations"
import { createAdmin } from "../helpers/admin"
import { reindexSearch } from "../helpers/search"
import { createUrqlClient } from "../helpers/urql"
import { useStorefrontKey } from "../helpers/storefront"

jest.setTimeout(120 * 1000)

const baseUrl = (api: any) => api.defaults.baseURL as string

const DECIMAL = /^\d+(\.\d+)?$/
const STATIC_IMAGE = /^https?:\/\/[^/]+\/static\/demo\/\d+-[a-z]+\.svg$/
// Product titles are "<Adjective> <Noun> <number>"; these nouns are in Kitchen, below Home.
const KITCHEN_NOUNS = ["Kettle", "Mug", "Pan", "Apron"]

medusaIntegrationTestRunner({
  inApp: true,
  testSuite: ({ api, getContainer, dbConnection }) => {
    let storefront: Record<string, string> = {}
    let webshop: Record<string, string> = {}
    const categories = new Map<string, string>()
    const regions = new Map<string, string>()
    beforeAll(async () => {
      await seedDemoData(getContainer())
      await reindexSearch(getContainer())
      storefront = { "x-publishable-api-key": await useStorefrontKey(api, getContainer()) }
      // The demo webshop's own key, as the shop's frontend would ship it.
      const query = getContainer().resolve(ContainerRegistrationKeys.QUERY)
      const { data: keys } = await query.graph({
        entity: "api_key",
        fields: ["token"],
        filters: { type: "publishable", title: DEMO_CHANNELS.webshop.keyTitle, revoked_at: null },
      })
      expect(keys).toHaveLength(1)
      webshop = { "x-publishable-api-key": keys[0].token }
      const { data: cats } = await query.graph({ entity: "product_category", fields: ["id", "handle"] })
      cats.forEach((c: { id: string; handle: string }) => categories.set(c.handle, c.id))
      const { data: regs } = await query.graph({ entity: "region", fields: ["id", "currency_code"] })
      regs.forEach((r: { id: string; currency_code: string }) => regions.set(r.currency_code, r.id))
    })

    describe("typed client operations (urql)", () => {
      it("pages a brand's products to the end with pageInfo", async () => {
        const client = createUrqlClient(baseUrl(api), { headers: storefront })
        const { rows } = await dbConnection.raw(
          `select p.id from product p
             join product_product_brand_brand l on l.product_id = p.id and l.deleted_at is null
             join brand b on b.id = l.brand_id
            where b.handle = 'fjord-audio' and p.status = 'published' and p.deleted_at is null
            order by p.title, p.id`
        )
        expect(rows.length).toBeGreaterThan(7)

        const seen: string[] = []
        let after: string | null | undefined = null
        let pages = 0
        for (;;) {
          const result = await client.query(BrandPageDocument, { handle: "fjord-audio", first: 7, after }).toPromise()
          expect(result.error).toBeUndefined()
          const products = result.data!.brand!.products
          expect(products.totalCount).toBe(rows.length)
          seen.push(...products.nodes.map((p) => p.id))
          products.nodes.forEach((p) => expect(p.brand?.handle).toBe("fjord-audio"))
          pages++
          if (!products.pageInfo.hasNextPage) break
          after = products.pageInfo.endCursor
        }
        expect(pages).toBe(Math.ceil(rows.length / 7))
        expect(seen).toEqual(rows.map((r: { id: string }) => r.id))
      })

      it("runs the product page and the search as typed queries", async () => {
        const client = createUrqlClient(baseUrl(api), { headers: storefront })
        const search = await client.query(SearchProductsDocument, { text: "KETTLE", first: 100 }).toPromise()
        expect(search.error).toBeUndefined()
        const found = search.data!.products.nodes
        expect(found.length).toBeGreaterThan(0)
        found.forEach((p) => expect(p.title.toLowerCase()).toContain("kettle"))
        expect(search.data!.products.totalCount).toBe(found.length)

        const page = await client.query(ProductPageDocument, { handle: found[0].handle }).toPromise()
        expect(page.data!.product).toMatchObject({ id: found[0].id, title: found[0].title })
        expect(page.data!.product!.brand?.id).toBe(found[0].brand?.id)
      })

      it("runs the search page: hits, and brand, category and price facets in the shop's currency", async () => {
        const client = createUrqlClient(baseUrl(api), { headers: webshop })
        const page = await client.query(SearchPageDocument, { query: "kettle", currencyCode: "eur" }).toPromise()
        expect(page.error).toBeUndefined()
        const { totalCount, nodes, facets } = page.data!.searchProducts
        expect(totalCount).toBeGreaterThan(0)
        nodes.forEach((p) => expect(p.title.toLowerCase()).toContain("kettle"))
        expect(facets.brands.reduce((n, b) => n + b.count, 0)).toBeLessThanOrEqual(totalCount)
        expect(facets.brands.every((b) => b.brand.name && b.count > 0)).toBe(true)
        expect(facets.categories.length).toBeGreaterThan(0)
        // Every range listed, from no lower bound to no upper bound; every product has a EUR price.
        expect(facets.prices.map((b) => [b.min, b.max])).toEqual([
          [null, "10"], ["10", "25"], ["25", "50"], ["50", "100"], ["100", "250"], ["250", null],
        ])
        expect(facets.prices.reduce((n, b) => n + b.count, 0)).toBe(totalCount)

        // Narrowed to one brand: hits of that brand only, as many as its facet said.
        const [brand] = facets.brands
        const narrowed = await client
          .query(SearchPageDocument, { query: "kettle", currencyCode: "eur", filter: { brandId: [brand.brand.id] } })
          .toPromise()
        expect(narrowed.data!.searchProducts.totalCount).toBe(brand.count)
        narrowed.data!.searchProducts.nodes.forEach((p) => expect(p.brand?.id).toBe(brand.brand.id))

        // Misspelt: the hits of the corrected query, and what it was.
        const misspelt = await client.query(SearchPageDocument, { query: "ketle", currencyCode: "eur" }).toPromise()
        expect(misspelt.data!.searchProducts).toMatchObject({ correctedQuery: "kettle", totalCount })
      })

      it("runs predictive search as the shopper types", async () => {
        const client = createUrqlClient(baseUrl(api), { headers: webshop })
        const typed = await client.query(PredictiveSearchDocument, { text: "kett", limit: 3 }).toPromise()
        expect(typed.error).toBeUndefined()
        const { queries, products } = typed.data!.predictiveSearch
        expect(queries[0]).toEqual({ text: "kettle", styledText: "kett<mark>le</mark>" })
        expect(products.length).toBeGreaterThan(0)
        products.forEach((p) => expect(p.title.toLowerCase()).toContain("kettle"))
      })

      it("lists a category's products and those below it, priced in the variables' context", async () => {
        const client = createUrqlClient(baseUrl(api), { headers: webshop })
        const listing = await client
          .query(ProductListingDocument, { categoryId: categories.get("home")!, first: 100, currencyCode: "eur" })
          .toPromise()
        expect(listing.error).toBeUndefined()
        const products = listing.data!.products
        expect(products.totalCount).toBe(products.nodes.length)
        const nouns = products.nodes.map((p) => p.title.split(" ")[1])
        // Home's own products (lamps) and those of Kitchen, a category below it.
        expect(nouns).toContain("Lamp")
        expect(nouns.some((noun) => KITCHEN_NOUNS.includes(noun))).toBe(true)
        expect(nouns).not.toContain("Jacket")
        const first = products.nodes.find((p) => p.brand)!
        expect(DEMO_BRANDS.map((b) => b.name)).toContain(first.brand!.name)
        expect(first.thumbnail).toMatch(STATIC_IMAGE)
        for (const p of products.nodes) {
          for (const v of p.variants) {
            expect(v.price).toMatchObject({ amount: expect.stringMatching(DECIMAL), currencyCode: "eur" })
          }
        }

        // @inContext reads its arguments from the variables: a region prices in its currency.
        const inUsd = await client
          .query(ProductListingDocument, { categoryId: categories.get("home")!, first: 2, regionId: regions.get("usd") })
          .toPromise()
        expect(inUsd.error).toBeUndefined()
        expect(inUsd.data!.products.nodes[0].variants[0].price).toMatchObject({
          amount: expect.stringMatching(DECIMAL),
          currencyCode: "usd",
        })
        // Neither variable given: the directive has no argument, the caller's error.
        const unpriced = await client.query(ProductListingDocument, { categoryId: categories.get("home")! }).toPromise()
        expect(unpriced.error?.graphQLErrors[0]?.extensions?.code).toBe("BAD_USER_INPUT")
      })

      it("runs the priced product page: pictures, options, variants, categories, collection, tags, brand", async () => {
        const client = createUrqlClient(baseUrl(api), { headers: webshop })
        const listing = await client
          .query(ProductListingDocument, { categoryId: categories.get("kitchen")!, first: 50, currencyCode: "eur" })
          .toPromise()
        const card = listing.data!.products.nodes.find((p) => p.brand && p.variants.length > 1)!
        expect(card).toBeDefined()

        const result = await client
          .query(ProductDetailDocument, { handle: card.handle, regionId: regions.get("eur") })
          .toPromise()
        expect(result.error).toBeUndefined()
        const product = result.data!.product!
        expect(product).toMatchObject({ id: card.id, title: card.title, thumbnail: card.thumbnail })
        expect(product.brand).toMatchObject({ id: card.brand!.id, name: card.brand!.name })
        expect(product.images.length).toBeGreaterThan(0)
        expect(product.images.map((i) => i.rank)).toEqual(product.images.map((_, i) => i))
        product.images.forEach((i) => expect(i.url).toMatch(STATIC_IMAGE))
        expect(product.images[0].url).toBe(product.thumbnail)
        expect(product.options).toEqual([expect.objectContaining({ title: DEMO_OPTION_TITLE })])
        expect(product.variants.map((v) => v.id)).toEqual(card.variants.map((v) => v.id))
        for (const v of product.variants) {
          expect(v.options).toEqual([{ option: DEMO_OPTION_TITLE, value: v.title }])
          expect(v.price).toMatchObject({ amount: expect.stringMatching(DECIMAL), currencyCode: "eur" })
        }
        expect(product.categories).toContainEqual(expect.objectContaining({ handle: "kitchen", parent: expect.objectContaining({ handle: "home" }) }))
        expect(Array.isArray(product.tags)).toBe(true)
        product.tags.forEach((t) => expect(["new", "eco", "gift"]).toContain(t.value))
        if (product.collection) expect(["autumn-edit", "bestsellers"]).toContain(product.collection.handle)
      })

      it("runs the product page in another language: the demo data's translations, prices unchanged", async () => {
        const client = createUrqlClient(baseUrl(api), { headers: webshop })
        const { handle, title } = demoProduct(0)
        const french = demoProductTranslation(title)["fr-FR"]
        const [fr, en] = await Promise.all(
          [{ locale: "fr-FR" }, {}].map((l) =>
            client.query(ProductDetailDocument, { handle, currencyCode: "eur", ...l }, { requestPolicy: "network-only" }).toPromise()
          )
        )
        expect(fr.error).toBeUndefined()
        const product = fr.data!.product!
        expect(product).toMatchObject({ title: french.title, description: french.description })
        expect(product.options.map((o) => o.title)).toEqual([DEMO_OPTION_TRANSLATIONS.title["fr-FR"]])
        expect(product.categories.map((c) => c.name)).toContain(DEMO_CATEGORY_TRANSLATIONS.jackets["fr-FR"])
        expect(product.variants.map((v) => v.price)).toEqual(en.data!.product!.variants.map((v) => v.price))
        expect(en.data!.product!.title).toBe(title)
      })

      it("pages a brand's priced products, with the sale's prices", async () => {
        const client = createUrqlClient(baseUrl(api), { headers: webshop })
        const handle = "ember-kitchen"
        expect(DEMO_BRANDS[DEMO_SALE.brandIndex].name).toBe("Ember Kitchen")
        const seen: string[] = []
        let after: string | null | undefined = null
        let total = 0
        for (;;) {
          const result = await client.query(BrandCatalogDocument, { handle, first: 5, after, currencyCode: "eur" }).toPromise()
          expect(result.error).toBeUndefined()
          const brand = result.data!.brand!
          expect(brand.name).toBe("Ember Kitchen")
          total = brand.products.totalCount
          for (const p of brand.products.nodes) {
            seen.push(p.id)
            expect(p.brand?.handle).toBe(handle)
            for (const v of p.variants) {
              expect(v.price).toMatchObject({ currencyCode: "eur", onSale: true })
              expect(Number(v.price!.amount)).toBeCloseTo(Number(v.price!.originalAmount) * (1 - DEMO_SALE.percentOff / 100), 1)
            }
          }
          if (!brand.products.pageInfo.hasNextPage) break
          after = brand.products.pageInfo.endCursor
        }
        expect(total).toBeGreaterThan(5)
        expect(new Set(seen).size).toBe(total)
      })

      it("runs back-office mutations with an admin token", async () => {
        const admin = await createAdmin(getContainer(), api)
        const client = createUrqlClient(baseUrl(api), { headers: admin.headers })
        const created = await client
          .mutation(CreateBrandDocument, { input: { name: "Kestrel Optics" } })
          .toPromise()
        expect(created.data!.brandCreate.userErrors).toEqual([])
        const brand = created.data!.brandCreate.brand!
        expect(brand.handle).toBe("kestrel-optics")

        const { rows } = await dbConnection.raw(`select id from product where deleted_at is null limit 1`)
        const set = await client
          .mutation(SetProductBrandDocument, { productId: rows[0].id, brandId: brand.id })
          .toPromise()
        expect(set.data!.productSetBrand.product?.brand).toEqual({ id: brand.id, name: "Kestrel Optics" })
      })
    })

    describe("persisted documents", () => {
      it("runs an operation sent by its hash alone", async () => {
        const client = createUrqlClient(baseUrl(api), { trusted: true, headers: storefront })
        const result = await client.query(BrandPageDocument, { handle: "borealis", first: 3 }).toPromise()
        expect(result.error).toBeUndefined()
        expect(result.data!.brand!.products.nodes).toHaveLength(3)
      })

      it("runs the priced category listing by its hash alone", async () => {
        const client = createUrqlClient(baseUrl(api), { trusted: true, headers: webshop })
        const result = await client
          .query(ProductListingDocument, { categoryId: categories.get("outdoor")!, first: 5, currencyCode: "usd" })
          .toPromise()
        expect(result.error).toBeUndefined()
        const nodes = result.data!.products.nodes
        expect(nodes).toHaveLength(5)
        expect(nodes[0].variants[0].price).toMatchObject({ amount: expect.stringMatching(DECIMAL), currencyCode: "usd" })
        expect(nodes[0].thumbnail).toMatch(STATIC_IMAGE)
      })

      it("accepts arbitrary documents by default", async () => {
        const res = await api.post("/graphql", { query: "{ brands(first: 1) { nodes { id } } }" })
        expect(res.data.data.brands.nodes).toHaveLength(1)
      })

      it("answers an unknown document id with a clear error", async () => {
        const res = await api.post(
          "/graphql",
          { documentId: "sha256:0000" },
          { validateStatus: () => true }
        )
        expect(res.data.errors[0].extensions.code).toBe("PERSISTED_QUERY_NOT_FOUND")
      })
    })
  },
})
