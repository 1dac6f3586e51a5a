import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import {
  BrandDirectoryDocument,
  ProductListingDocument,
  ProductPageDeferredDocument,
} from "../../src/graphql/__generated__/client/graphql"
import manifest from "../../src/graphql/__generated__/client/persisted-documents.json"
import { DEMO_CHANNELS, seedDemoData } from "../../src/scripts/demo-data"
import { createUrqlClient } from "../helpers/urql"
import { useStorefrontKey } from "../helpers/storefront"

jest.setTimeout(120 * 1000)

medusaIntegrationTestRunner({
  inApp: true,
  env: { GRAPHQL_TRUSTED_DOCUMENTS: "only" },
  testSuite: ({ api, getContainer }) => {
    let storefront: Record<string, string> = {}
    beforeAll(async () => {
      await seedDemoData(getContainer())
      storefront = { "x-publishable-api-key": await useStorefrontKey(api, getContainer()) }
    })

    describe("GRAPHQL_TRUSTED_DOCUMENTS=only", () => {
      it("runs documents from the manifest, sent by hash", async () => {
        const client = createUrqlClient(api.defaults.baseURL as string, { trusted: true, headers: storefront })
        const result = await client.query(BrandDirectoryDocument, { first: 50 }).toPromise()
        expect(result.error).toBeUndefined()
        expect(result.data!.brands.nodes.map((b) => b.handle)).toContain("borealis")

        const hash = (BrandDirectoryDocument as any).__meta__.hash
        expect(Object.keys(manifest)).toContain(hash)
        const byId = await api.post("/graphql", { documentId: hash, variables: { first: 2 } })
        expect(byId.data.data.brands.nodes).toHaveLength(2)
      })

      it("runs the storefront's priced category listing by hash, with the webshop's key", async () => {
        const query = getContainer().resolve(ContainerRegistrationKeys.QUERY)
        const { data: keys } = await query.graph({
          entity: "api_key",
          fields: ["token"],
          filters: { type: "publishable", title: DEMO_CHANNELS.webshop.keyTitle },
        })
        const { data: cats } = await query.graph({ entity: "product_category", fields: ["id"], filters: { handle: "outdoor" } })
        expect(Object.keys(manifest)).toContain((ProductListingDocument as any).__meta__.hash)

        const client = createUrqlClient(api.defaults.baseURL as string, {
          trusted: true,
          headers: { "x-publishable-api-key": keys[0].token },
        })
        const result = await client
          .query(ProductListingDocument, { categoryId: cats[0].id, first: 3, currencyCode: "eur" })
          .toPromise()
        expect(result.error).toBeUndefined()
        const nodes = result.data!.products.nodes
        expect(nodes).toHaveLength(3)
        expect(nodes[0].variants[0].price).toMatchObject({ amount: expect.stringMatching(/^\d+(\.\d+)?$/), currencyCode: "eur" })
        expect(new URL(nodes[0].thumbnail!).pathname).toMatch(/^\/static\/demo\//)
      })

      it("runs a document with @defer by hash: a demo product page whose stock and image sizes arrive in parts", async () => {
        const client = createUrqlClient(api.defaults.baseURL as string, { trusted: true, headers: storefront })
        const results: any[] = await new Promise((resolve) => {
          const seen: any[] = []
          const { unsubscribe } = client.query(ProductPageDeferredDocument, { handle: "classic-jacket-001" }).subscribe((r) => {
            seen.push(r)
            if (!r.hasNext) {
              setImmediate(() => unsubscribe())
              resolve(seen)
            }
          })
        })
        expect(results.length).toBeGreaterThan(1)
        expect(results[0].data.product).not.toHaveProperty("availableForSale")
        const last = results[results.length - 1]
        expect(last.error).toBeUndefined()
        expect(last.data.product).toMatchObject({ title: "Classic Jacket 001", availableForSale: expect.any(Boolean) })
        // The demo's SVG pictures: 400 x 400, offered as WebP under /images.
        expect(last.data.product.images[0]).toMatchObject({ width: 400, height: 400, url: expect.stringMatching(/\/images\/.+\.webp$/) })
        const image = await api.get(new URL(last.data.product.images[0].url).pathname, { responseType: "arraybuffer" })
        expect(image.headers["content-type"]).toBe("image/webp")
      })

      it("refuses a document sent in full, even one that is in the manifest", async () => {
        const text = (manifest as Record<string, string>)[(BrandDirectoryDocument as any).__meta__.hash]
        const res = await api.post("/graphql", { query: text }, { validateStatus: () => true })
        expect(res.status).toBe(400)
        expect(res.data.data).toBeUndefined()
        expect(res.data.errors[0].extensions.code).toBe("PERSISTED_QUERY_ONLY")
        expect(res.data.errors[0].message).toMatch(/trusted documents only/)
      })

      it("refuses a document sent in full even when its answer is cached", async () => {
        const hash = (BrandDirectoryDocument as any).__meta__.hash
        const text = (manifest as Record<string, string>)[hash]
        const variables = { first: 3 }
        const headers = { ...storefront, "content-type": "application/json" }
        await api.post("/graphql", { documentId: hash, variables }, { headers })
        const cached = await api.post("/graphql", { documentId: hash, variables }, { headers })
        expect(cached.headers["x-cache"]).toBe("HIT")
        // The plain form a server-side storefront sends: JSON, no Origin.
        const raw = await api.post("/graphql", { query: text, variables }, { headers, validateStatus: () => true })
        expect(raw.status).toBe(400)
        expect(raw.data.errors[0].extensions.code).toBe("PERSISTED_QUERY_ONLY")
        expect(raw.headers["x-cache"]).toBe("BYPASS; reason=not-executed")
      })

      it("refuses an id that is not in the manifest", async () => {
        const res = await api.post("/graphql", { documentId: "sha256:feed" }, { validateStatus: () => true })
        expect(res.data.errors[0].extensions.code).toBe("PERSISTED_QUERY_NOT_FOUND")
      })
    })
  },
})
