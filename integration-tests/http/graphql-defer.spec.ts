import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { createProductsWorkflow } from "@medusajs/medusa/core-flows"
import type { OperationResult } from "@urql/core"
import { ProductPageDeferredDocument } from "../../src/graphql/__generated__/client/graphql"
import manifest from "../../src/graphql/__generated__/client/persisted-documents.json"
import { createAdmin } from "../helpers/admin"
import { gql, type Headers } from "../helpers/graphql"
import { createUrqlClient } from "../helpers/urql"

jest.setTimeout(120 * 1000)

// @defer: a real client that takes incremental delivery (urql over fetch,
// multipart/mixed), the parts over raw HTTP, the cost budget settled on the
// whole answer, the answer cache (not kept: BYPASS; reason=deferred) and its
// front door (never answers plain JSON to a request that asks for multipart).

const PRODUCT_COUNT = 3

/** The products page with its nodes deferred: its actual cost depends on what the later part returned. */
const DEFERRED_LIST = `query DeferredList {
  products(first: 50) {
    totalCount
    ... @defer(label: "nodes") { nodes { id title variants { id sku } } }
  }
}`
const PLAIN_LIST = `query DeferredList {
  products(first: 50) {
    totalCount
    nodes { id title variants { id sku } }
  }
}`

type Part = { data?: any; incremental?: { data?: any; path?: (string | number)[]; label?: string }[]; hasNext?: boolean; extensions?: any; errors?: any[] }

/** The JSON parts of a multipart/mixed body (GraphQL incremental delivery over HTTP). */
function multipartParts(body: string, contentType: string): Part[] {
  const boundary = /boundary="?([^";]+)"?/.exec(contentType)![1]
  return body
    .split(`--${boundary}`)
    .map((chunk) => chunk.trim())
    .filter((chunk) => chunk && chunk !== "--")
    .map((chunk) => JSON.parse(chunk.slice(chunk.indexOf("\r\n\r\n") + 4).trim()))
}

/** All results urql hands the application for one query, up to the last part. */
function allResults<T>(source: { subscribe(cb: (r: OperationResult<T>) => void): { unsubscribe(): void } }) {
  return new Promise<OperationResult<T>[]>((resolve) => {
    const results: OperationResult<T>[] = []
    const { unsubscribe } = source.subscribe((result) => {
      results.push(result)
      if (!result.hasNext) {
        setImmediate(() => unsubscribe())
        resolve(results)
      }
    })
  })
}

medusaIntegrationTestRunner({
  inApp: true,
  testSuite: ({ api, getContainer }) => {
    let admin: Headers
    const baseUrl = () => api.defaults.baseURL as string

    beforeAll(async () => {
      admin = (await createAdmin(getContainer(), api)).headers
      await createProductsWorkflow(getContainer()).run({
        input: {
          products: Array.from({ length: PRODUCT_COUNT }, (_, i) => ({
            title: `Deferred ${i}`,
            handle: `deferred-${i}`,
            status: "published" as const,
            options: [{ title: "Size", values: ["S", "M"] }],
            variants: ["S", "M"].map((size) => ({
              title: size,
              sku: `deferred-${i}-${size.toLowerCase()}`,
              options: { Size: size },
              manage_inventory: false,
            })),
          })),
        },
      })
    })

    it("delivers the deferred fragment in a later part to urql, which merges it", async () => {
      const client = createUrqlClient(baseUrl(), { headers: admin })
      const results = await allResults(client.query(ProductPageDeferredDocument, { handle: "deferred-0" }))
      expect(results.length).toBeGreaterThan(1)
      const [first] = results
      const last = results[results.length - 1]
      expect(first.error).toBeUndefined()
      expect(first.hasNext).toBe(true)
      expect(first.data!.product!.title).toBe("Deferred 0")
      expect(first.data!.product).not.toHaveProperty("availableForSale")
      expect(last.error).toBeUndefined()
      expect(last.hasNext).toBe(false)
      expect(last.data!.product).toMatchObject({ title: "Deferred 0", availableForSale: true })
      expect(last.data!.product!.variants).toEqual([
        expect.objectContaining({ sku: "deferred-0-s", availableForSale: true, quantityAvailable: null }),
        expect.objectContaining({ sku: "deferred-0-m", availableForSale: true, quantityAvailable: null }),
      ])
    })

    it("sends parts as multipart/mixed, settles the cost on the whole answer, and keeps nothing", async () => {
      const post = (query: string, accept: string) =>
        api.post("/graphql", { query }, {
          headers: { "content-type": "application/json", accept, ...admin },
          responseType: "text",
          transformResponse: (x) => x,
          validateStatus: () => true,
        })
      const plain = await gql(api, PLAIN_LIST, {}, admin)
      const plainCost = plain.body.extensions.cost
      expect(plain.data.products.nodes).toHaveLength(PRODUCT_COUNT)
      // 50 asked for, 3 returned: the actual cost counts what came back.
      expect(plainCost.actualQueryCost).toBeLessThan(plainCost.requestedQueryCost)

      for (const round of [1, 2]) {
        const res = await post(DEFERRED_LIST, "multipart/mixed")
        expect(res.status).toBe(200)
        expect(res.headers["content-type"]).toMatch(/^multipart\/mixed/)
        expect({ round, xCache: res.headers["x-cache"] }).toEqual({ round, xCache: "BYPASS; reason=deferred" })
        const parts = multipartParts(res.data, res.headers["content-type"])
        expect(parts[0].data.products).toEqual({ totalCount: PRODUCT_COUNT })
        expect(parts[0].hasNext).toBe(true)
        const nodes = parts.flatMap((p) => p.incremental ?? []).find((i) => i.label === "nodes")
        expect(nodes!.path).toEqual(["products"])
        expect(nodes!.data.nodes).toHaveLength(PRODUCT_COUNT)
        const last = parts[parts.length - 1]
        expect(last.hasNext).toBe(false)
        // Charged as the same query undeferred: estimated alike, refunded for the nodes the later part returned.
        expect(last.extensions.cost).toMatchObject({
          requestedQueryCost: plainCost.requestedQueryCost,
          actualQueryCost: plainCost.actualQueryCost,
        })
        parts.slice(0, -1).forEach((p) => expect(p.extensions?.cost).toBeUndefined())
      }
    })

    it("front door: a stored answer goes as JSON only to a request that takes JSON, never to one asking for multipart", async () => {
      const query = `{ products(first: 2) { nodes { handle } } }`
      const json = { "content-type": "application/json", accept: "application/json", ...admin }
      expect((await api.post("/graphql", { query }, { headers: json })).headers["x-cache"]).toBe("MISS")
      const early = await api.post("/graphql", { query }, { headers: json })
      expect(early.headers["x-cache"]).toBe("HIT")

      const multipart = await api.post("/graphql", { query }, {
        headers: { ...json, accept: "multipart/mixed" },
        responseType: "text",
        transformResponse: (x) => x,
      })
      expect(multipart.status).toBe(200)
      expect(multipart.headers["content-type"]).toMatch(/^multipart\/mixed/)
      expect(multipart.headers["x-cache"]).toBe("HIT; via=yoga")
      const [part] = multipartParts(multipart.data, multipart.headers["content-type"])
      expect(part.data).toEqual(early.data.data)

      // A client that lists multipart/mixed at all takes incremental delivery: Yoga answers it, whatever it prefers.
      for (const accept of ["multipart/mixed, application/json", "application/json, text/event-stream"]) {
        const res = await api.post("/graphql", { query }, { headers: { ...json, accept } })
        expect({ accept, xCache: res.headers["x-cache"] }).toEqual({ accept, xCache: "HIT; via=yoga" })
      }

      // A deferred operation is never kept, so no door answers it from the store; JSON alone cannot carry its parts.
      for (let i = 0; i < 2; i++) {
        const res = await api.post("/graphql", { query: DEFERRED_LIST }, { headers: json, validateStatus: () => true })
        expect(res.headers["x-cache"]).not.toMatch(/^HIT/)
        expect(res.status).toBe(406)
      }
    })

    it("runs a trusted document with @defer by its hash", async () => {
      const hash = (ProductPageDeferredDocument as any).__meta__.hash
      expect(Object.keys(manifest)).toContain(hash)
      const client = createUrqlClient(baseUrl(), { headers: admin, trusted: true })
      const results = await allResults(client.query(ProductPageDeferredDocument, { handle: "deferred-1" }))
      const last = results[results.length - 1]
      expect(results[0].data!.product).not.toHaveProperty("availableForSale")
      expect(last.error).toBeUndefined()
      expect(last.data!.product).toMatchObject({ title: "Deferred 1", availableForSale: true })
    })
  },
})
