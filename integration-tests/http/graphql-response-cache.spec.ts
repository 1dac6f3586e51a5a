import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { updateProductsWorkflow } from "@medusajs/medusa/core-flows"
import { updateBrandWorkflow } from "../../src/workflows/update-brand"
import { seedDemoData } from "../../src/scripts/demo-data"
import { createAdmin } from "../helpers/admin"
import { countStatements, errorCode, gql, gqlData, type Headers } from "../helpers/graphql"
import { reindexSearch } from "../helpers/search"
import { createPublishableKey, PUBLISHABLE_KEY_HEADER, useStorefrontKey } from "../helpers/storefront"

jest.setTimeout(180 * 1000)

// Whole answers are kept by the response cache (on by default, in memory
// here). graphql-read-cache.spec.ts checks that no write leaves an old
// answer behind; this file checks what is kept, for whom, and what a change
// drops.
medusaIntegrationTestRunner({
  inApp: true,
  testSuite: ({ api, getContainer, dbConnection }) => {
    let admin: Headers
    const rows = async (sql: string, bindings: unknown[] = []) => (await dbConnection.raw(sql, bindings as any)).rows

    /** Reads `query`; returns its data and the SQL statements the read ran. */
    const read = async (query: string, headers: Headers = {}, variables: Record<string, unknown> = {}) => {
      const { result, statements } = await countStatements(() => gqlData(api, query, variables, headers))
      return { data: result, statements: statements.length }
    }

    beforeAll(async () => {
      const container = getContainer()
      await seedDemoData(container)
      await useStorefrontKey(api, container)
      admin = (await createAdmin(container, api)).headers
      await reindexSearch(container)
    })

    it("answers a repeated query from the cache, even after a change made without Medusa (until its TTL); an admin can read past it", async () => {
      const query = `{ products(first: 3, orderBy: { field: TITLE }) { nodes { id title } } }`
      const first = await read(query)
      expect(first.statements).toBeGreaterThan(0)
      const [product] = first.data.products.nodes
      // Behind Medusa's back: no event, no version bump.
      await rows(`update product set title = ? where id = ?`, [`${product.title} (edited in SQL)`, product.id])
      try {
        const again = await read(query)
        expect(again).toEqual({ data: first.data, statements: 0 })
        const fresh = await read(query, { ...admin, "cache-control": "no-cache" })
        expect(fresh.statements).toBeGreaterThan(0)
        expect(fresh.data.products.nodes[0].title).toBe(`${product.title} (edited in SQL)`)
        // Anyone else's no-cache is not honoured.
        expect(await read(query, { "cache-control": "no-cache" })).toEqual({ data: first.data, statements: 0 })
      } finally {
        await rows(`update product set title = ? where id = ?`, [product.title, product.id])
      }
    })

    it("keeps answers per caller: each publishable key, and admins, get their own", async () => {
      const container = getContainer()
      const [webshop] = await rows(`select id from sales_channel where name = 'Webshop'`)
      const { token } = await createPublishableKey(container, "Webshop only", [webshop.id])
      const query = `{ products(first: 1) { totalCount } }`
      const every = await read(query)
      const shop = await read(query, { [PUBLISHABLE_KEY_HEADER]: token })
      const all = await read(query, admin)
      for (const answer of [shop, all]) expect(answer.statements).toBeGreaterThan(0)
      expect(shop.data.products.totalCount).toBeLessThan(every.data.products.totalCount)
      expect(all.data.products.totalCount).toBeGreaterThan(every.data.products.totalCount)
      expect(await read(query, { [PUBLISHABLE_KEY_HEADER]: token })).toEqual({ data: shop.data, statements: 0 })
      expect(await read(query, admin)).toEqual({ data: all.data, statements: 0 })
    })

    it("looks a publishable key up once until keys or channels change, and at once after a revocation", async () => {
      const container = getContainer()
      const [webshop] = await rows(`select id from sales_channel where name = 'Webshop'`)
      const key = await createPublishableKey(container, "Looked up once", [webshop.id])
      const lookups = async (query: string) => {
        const { result, statements } = await countStatements(() =>
          gql(api, query, {}, { [PUBLISHABLE_KEY_HEADER]: key.token })
        )
        return { code: errorCode(result), keyLookups: statements.filter((s) => /from "api_key"/.test(s)).length }
      }
      // Two different queries: each misses the response cache and reads the catalog.
      expect(await lookups(`{ brands(first: 1) { totalCount } }`)).toEqual({ code: undefined, keyLookups: 1 })
      expect(await lookups(`{ brands(first: 2) { totalCount } }`)).toEqual({ code: undefined, keyLookups: 0 })

      const revoke = await api.post(`/admin/api-keys/${key.id}/revoke`, {}, { headers: admin })
      expect(revoke.status).toBe(200)
      expect(await lookups(`{ brands(first: 3) { totalCount } }`)).toEqual({ code: "PUBLISHABLE_KEY_INVALID", keyLookups: 1 })

      // A key revoked for a later moment is kept until that moment, not after: neither it nor its answers.
      const expiring = await createPublishableKey(container, "Revoked later", [webshop.id])
      const later = await api.post(`/admin/api-keys/${expiring.id}/revoke`, { revoke_in: 2 }, { headers: admin })
      expect(later.status).toBe(200)
      const expiringKey = { [PUBLISHABLE_KEY_HEADER]: expiring.token }
      const soon = `{ brands(first: 4) { totalCount } }`
      expect(errorCode(await gql(api, soon, {}, expiringKey))).toBeUndefined()
      const again = await gql(api, soon, {}, expiringKey)
      expect(errorCode(again)).toBeUndefined()
      expect(again.headers["x-cache"]).toBe("HIT")
      await new Promise((resolve) => setTimeout(resolve, 2500))
      const after = await gql(api, soon, {}, expiringKey)
      expect(errorCode(after)).toBe("PUBLISHABLE_KEY_INVALID")
      expect(after.data ?? null).toBeNull()
    })

    it("answers browsers (an Origin) from the same entries, with their CORS headers, and sends no cache validators", async () => {
      const query = `{ brands(first: 4, orderBy: { field: NAME }) { nodes { id name } } }`
      const stored = await gql(api, query)
      expect(stored.headers.etag).toBeUndefined()
      expect(stored.body.extensions?.cost).toBeDefined()

      const origin = "http://localhost:8000"
      const { result: browser, statements } = await countStatements(() => gql(api, query, {}, { origin }))
      expect(statements).toEqual([])
      expect(browser.body.data).toEqual(stored.data)
      expect(browser.headers["access-control-allow-origin"]).toBe(origin)
      expect(browser.headers.vary).toMatch(/origin/i)

      // Browsers' requests are answered inside Yoga, which sends CORS headers.
      expect(browser.headers["x-cache"]).toBe("HIT; via=yoga")
      const plain = await gql(api, query)
      // A found answer is charged to the caller's budget for what it returns.
      expect(plain.headers["x-cache"]).toBe("HIT")
      expect(plain.body.data).toEqual(stored.data)
      expect(plain.body.extensions.cost.actualQueryCost).toBeGreaterThan(0)
      expect(plain.headers.vary).toMatch(/origin/i)
      for (const res of [browser, plain]) {
        expect(res.headers.etag).toBeUndefined()
        expect(res.headers["last-modified"]).toBeUndefined()
      }

      // A conditional request is answered in full, never with 304.
      const conditional = await gql(api, query, {}, { origin, "if-none-match": "*" })
      expect(conditional.status).toBe(200)
      expect(conditional.data).toEqual(stored.data)
    })

    it("computes an answer that many clients miss at once only once", async () => {
      const shape = (first: number) => `{ products(first: ${first}, orderBy: { field: TITLE }) { nodes { id title brand { name } } } }`
      const once = (await read(shape(6))).statements
      const { result, statements } = await countStatements(() => Promise.all(Array.from({ length: 8 }, () => gqlData(api, shape(7)))))
      expect(statements).toHaveLength(once)
      expect(new Set(result.map((r) => JSON.stringify(r))).size).toBe(1)
      expect(result[0].products.nodes).toHaveLength(7)
    })

    it("never answers credentials that do not check out from the cache", async () => {
      const query = `{ products(first: 2) { nodes { id } } }`
      await read(query)
      expect((await read(query)).statements).toBe(0)
      for (const authorization of ["Bearer not-a-token", "Basic c2tfbm9wZTo="]) {
        const res = await gql(api, query, {}, { authorization })
        expect(res.status).toBe(401)
        expect(errorCode(res)).toBe("UNAUTHENTICATED")
        expect(res.data ?? null).toBeNull()
      }
    })

    it("drops only the answers that read what an event changed (workflows run in code)", async () => {
      // Changes made behind Medusa's back mark what was kept: an answer still
      // showing one was not dropped. (Statements are not counted here: the
      // search index reads in the background after each event.)
      const container = getContainer()
      const titles = `{ products(first: 3, orderBy: { field: TITLE }) { nodes { id title } } }`
      const names = `{ brands(first: 3, orderBy: { field: NAME }) { nodes { id name } } }`
      const both = `{ products(first: 3, orderBy: { field: TITLE }) { nodes { id title brand { name } } } }`
      const titlesBefore = (await read(titles)).data
      const namesBefore = (await read(names)).data
      await read(both)
      const [product] = titlesBefore.products.nodes
      const [brand, other] = namesBefore.brands.nodes

      // A brand renamed: answers that read brands go, those of product titles stay.
      await rows(`update product set title = ? where id = ?`, [`${product.title} (SQL)`, product.id])
      await updateBrandWorkflow(container).run({ input: { id: brand.id, update: { name: `${brand.name} Renamed` } } })
      expect((await read(titles)).data).toEqual(titlesBefore)
      expect((await read(names)).data.brands.nodes.map((b: any) => b.name)).toContain(`${brand.name} Renamed`)
      expect((await read(both)).data.products.nodes[0].title).toBe(`${product.title} (SQL)`)
      await rows(`update product set title = ? where id = ?`, [product.title, product.id])

      // A product retitled: answers that read products go, those of brand names stay.
      const namesNow = (await read(names)).data
      await rows(`update brand set name = ? where id = ?`, [`${other.name} (SQL)`, other.id])
      try {
        await updateProductsWorkflow(container).run({ input: { selector: { id: product.id }, update: { title: `${product.title} Retitled` } } })
        expect((await read(names)).data).toEqual(namesNow)
        expect((await read(titles)).data.products.nodes.map((p: any) => p.title)).toContain(`${product.title} Retitled`)
      } finally {
        await rows(`update brand set name = ? where id = ?`, [other.name, other.id])
      }
    })

    it("keeps search answers until the index holds a change, then drops them", async () => {
      const query = `{ searchProducts(query: "xylophone", first: 3) { totalCount nodes { id } } }`
      const before = await read(query)
      expect(before.data.searchProducts.totalCount).toBe(0)
      expect(await read(query)).toEqual({ ...before, statements: 0 })

      // Renamed behind Medusa's back (no event, no version bump): neither the index nor the cache knows.
      const [product] = await rows(`select id, title from product where status = 'published' and deleted_at is null order by title limit 1`)
      await rows(`update product set title = 'Xylophone Mallet' where id = ?`, [product.id])
      try {
        expect(await read(query)).toEqual({ ...before, statements: 0 })
        // The index rebuilt from the database: once its writes land, the search answer goes.
        await reindexSearch(getContainer())
        const after = await read(query)
        expect(after.data.searchProducts.nodes).toEqual([{ id: product.id }])
        expect(await read(query)).toEqual({ ...after, statements: 0 })
      } finally {
        await rows(`update product set title = ? where id = ?`, [product.title, product.id])
      }
    })

    it("drops a changed product's answers and product lists, not other products' or the brand list", async () => {
      // Told by x-cache, not by statements: the search index reads the changed product in the background.
      const container = getContainer()
      const [one, other] = await rows(
        `select id, subtitle from product where status = 'published' and deleted_at is null order by title limit 2`
      )
      const byId = `query ($id: ID!) { product(id: $id) { id subtitle } }`
      const names = `{ brands(first: 3, orderBy: { field: NAME }) { nodes { id name } } }`
      const list = `{ products(first: 2, orderBy: { field: TITLE }) { nodes { id subtitle } } }`
      const cache = async (query: string, variables: Record<string, unknown> = {}) => (await gql(api, query, variables)).headers["x-cache"]
      for (const [query, variables] of [[byId, { id: one.id }], [byId, { id: other.id }], [names, {}], [list, {}]] as const) {
        await gql(api, query, variables)
        expect(await cache(query, variables)).toBe("HIT")
      }
      await updateProductsWorkflow(container).run({ input: { selector: { id: one.id }, update: { subtitle: "Changed" } } })
      try {
        const changed = await gql(api, byId, { id: one.id })
        expect(changed.data.product.subtitle).toBe("Changed")
        expect(changed.headers["x-cache"]).toBe("MISS")
        expect(await cache(list)).toBe("MISS")
        expect(await cache(byId, { id: other.id })).toBe("HIT")
        expect(await cache(names)).toBe("HIT")
      } finally {
        await updateProductsWorkflow(container).run({ input: { selector: { id: one.id }, update: { subtitle: one.subtitle } } })
      }
    })

    it("says how each response was answered (x-cache)", async () => {
      const query = `{ brands(first: 5) { nodes { id } } }`
      const miss = await gql(api, query)
      expect(miss.headers["x-cache"]).toBe("MISS")
      expect((await gql(api, query)).headers["x-cache"]).toBe("HIT")
      expect((await gql(api, query, {}, { ...admin, "cache-control": "no-cache" })).headers["x-cache"]).toBe("BYPASS; reason=no-cache")
      expect((await gql(api, `{ __schema { queryType { name } } }`)).headers["x-cache"]).toBe("BYPASS; reason=introspection")
      const mutation = await gql(api, `mutation { brandCreate(input: { name: "Header Brand" }) { brand { id } } }`, {}, admin)
      expect(mutation.headers["x-cache"]).toBe("BYPASS; reason=mutation")
      expect((await gql(api, `{ products(`)).headers["x-cache"]).toBe("BYPASS; reason=not-executed")
    })

    it("answers early only what every rule admits: not a form post, not a key that reads nothing, not a changed document", async () => {
      const query = `{ brands(first: 6, orderBy: { field: NAME }) { nodes { id name } } }`
      const stored = await gqlData(api, query)
      expect((await gql(api, query)).headers["x-cache"]).toBe("HIT")
      // What a cross-site form could send is refused, cached answer or not (CSRF).
      const form = await api.post("/graphql", JSON.stringify({ query }), {
        headers: { "content-type": "text/plain" },
        validateStatus: () => true,
      })
      expect({ status: form.status, data: form.data?.data ?? null }).toEqual({ status: 415, data: null })
      // A key that reads nothing is refused, though its answer's key differs only by the caller.
      const unknownKey = await gql(api, query, {}, { [PUBLISHABLE_KEY_HEADER]: "pk_unknown" })
      expect({ status: unknownKey.status, code: errorCode(unknownKey), data: unknownKey.data ?? null }).toEqual({
        status: 401,
        code: "PUBLISHABLE_KEY_INVALID",
        data: null,
      })
      // An answer is found only for the document as sent, with its operation name and variables.
      const named = await gql(api, query.replace("{ brands", "query Named { brands"))
      expect(named.headers["x-cache"]).toBe("MISS")
      expect(named.data).toEqual(stored)
      // One that asks for another media type is answered in it, by Yoga.
      const typed = await api.post("/graphql", { query }, { headers: { accept: "application/graphql-response+json" } })
      expect({ type: typed.headers["content-type"], cache: typed.headers["x-cache"] }).toEqual({
        type: "application/graphql-response+json; charset=utf-8",
        cache: "HIT; via=yoga",
      })
      // A request with fields the front door does not know goes to Yoga, which answers it as usual.
      const extra = await api.post("/graphql", { query, extensions: {} }, { validateStatus: () => true })
      expect({ status: extra.status, cache: extra.headers["x-cache"], data: extra.data.data }).toEqual({
        status: 200,
        cache: "HIT; via=yoga",
        data: stored,
      })
    })

    it("never answers a mutation from the cache", async () => {
      const create = `mutation { brandCreate(input: { name: "Twice Made" }) { brand { id } userErrors { code } } }`
      const first = await gqlData(api, create, {}, admin)
      const second = await gqlData(api, create, {}, admin)
      expect(first.brandCreate.brand.id).toBeTruthy()
      expect(second).not.toEqual(first)
    })
  },
})
