import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import {
  BrandPageDocument,
  CreateBrandDocument,
  ProductPageDocument,
  SearchProductsDocument,
  SetProductBrandDocument,
} from "../../src/graphql/__generated__/client/graphql"
import { seedDemoData } from "../../src/scripts/demo-data"
import { createAdmin } from "../helpers/admin"
import { createUrqlClient } from "../helpers/urql"
import { useStorefrontKey } from "../helpers/storefront"

jest.setTimeout(120 * 1000)

const baseUrl = (api: any) => api.defaults.baseURL as string

medusaIntegrationTestRunner({
  inApp: true,
  testSuite: ({ api, getContainer, dbConnection }) => {
    let storefront: Record<string, string> = {}
    beforeAll(async () => {
      await seedDemoData(getContainer())
      storefront = { "x-publishable-api-key": await useStorefrontKey(api, getContainer()) }
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
