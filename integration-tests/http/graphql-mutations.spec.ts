import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { createBrandsWorkflow } from "../../src/workflows/create-brands"
import { DEMO_BRANDS, seedDemoData } from "../../src/scripts/demo-data"
import { createAdmin, createSecretApiKey } from "../helpers/admin"
import { liveLinks, LINK_TABLE } from "../helpers/db"
import { errorCode, gql, gqlData, type GraphQLResponse, type Headers } from "../helpers/graphql"
import { useStorefrontKey } from "../helpers/storefront"

jest.setTimeout(120 * 1000)

const BRAND_FIELDS = `id name handle description metadata createdAt updatedAt`
const USER_ERRORS = `userErrors { field message code }`

const BRAND_CREATE = `mutation ($input: BrandCreateInput!) {
  brandCreate(input: $input) { brand { ${BRAND_FIELDS} } ${USER_ERRORS} }
}`
const BRAND_UPDATE = `mutation ($id: ID!, $input: BrandUpdateInput!) {
  brandUpdate(id: $id, input: $input) { brand { ${BRAND_FIELDS} } ${USER_ERRORS} }
}`
const BRAND_DELETE = `mutation ($id: ID!) { brandDelete(id: $id) { deletedBrandId ${USER_ERRORS} } }`
const SET_BRAND = `mutation ($productId: ID!, $brandId: ID!) {
  productSetBrand(productId: $productId, brandId: $brandId) { product { id title brand { id name } } ${USER_ERRORS} }
}`
const UNSET_BRAND = `mutation ($productId: ID!) {
  productUnsetBrand(productId: $productId) { product { id brand { id } } ${USER_ERRORS} }
}`

medusaIntegrationTestRunner({
  inApp: true,
  env: {},
  testSuite: ({ api, getContainer, dbConnection }) => {
    let adminHeaders: Headers
    let apiKeyHeaders: Headers
    /** Demo brand ids by index in DEMO_BRANDS. */
    let brandIds: string[]

    const rows = async (sql: string, bindings: unknown[] = []) => (await dbConnection.raw(sql, bindings as any)).rows
    /** Everything a brand or link mutation could change. */
    const snapshot = async () => ({
      brands: await rows(`select * from brand order by id`),
      links: await rows(`select * from ${LINK_TABLE} order by product_id, brand_id`),
      products: await rows(`select id, deleted_at, updated_at from product order by id`),
    })
    const live = (where: { product_id?: string; brand_id?: string }) => liveLinks(dbConnection as any, where)

    /** A successful mutation: no top-level errors, no userErrors; returns the payload. */
    const mutate = async (query: string, variables: Record<string, unknown>, headers: Headers = adminHeaders) => {
      const res = await gql(api, query, variables, headers)
      expect({ status: res.status, errors: res.errors }).toEqual({ status: 200, errors: undefined })
      const payload = Object.values(res.data as object)[0]
      expect(payload.userErrors).toEqual([])
      return payload
    }
    /** A mutation that must fail with exactly this userError and leave the database as it was. */
    const expectUserError = async (
      query: string,
      variables: Record<string, unknown>,
      field: string[],
      code: "INVALID" | "NOT_FOUND" | "TAKEN"
    ) => {
      const before = await snapshot()
      const res = await gql(api, query, variables, adminHeaders)
      const label = JSON.stringify(variables).slice(0, 200)
      expect({ label, status: res.status, errors: res.errors }).toEqual({ label, status: 200, errors: undefined })
      const payload = Object.values(res.data as object)[0]
      expect({ label, userErrors: payload.userErrors }).toEqual({
        label,
        userErrors: [{ field, code, message: expect.stringMatching(/\S/) }],
      })
      for (const key of ["brand", "product", "deletedBrandId"]) {
        if (key in payload) expect({ label, [key]: payload[key] }).toEqual({ label, [key]: null })
      }
      expect(await snapshot()).toEqual(before)
      return payload
    }

    /** A demo product of the brand, by title order. */
    const productOf = async (brandId: string, n = 0) =>
      (
        await rows(
          `select p.id, p.title from product p join ${LINK_TABLE} l on l.product_id = p.id and l.deleted_at is null
            where l.brand_id = ? and p.deleted_at is null order by p.title, p.id offset ? limit 1`,
          [brandId, n]
        )
      )[0] as { id: string; title: string }

    beforeAll(async () => {
      const container = getContainer()
      await seedDemoData(container)
      await useStorefrontKey(api, container)
      const admin = await createAdmin(container, api)
      adminHeaders = admin.headers
      apiKeyHeaders = await createSecretApiKey(container, admin.userId)
      const brands = (await rows(`select id, name from brand`)) as { id: string; name: string }[]
      brandIds = DEMO_BRANDS.map((b) => brands.find((r) => r.name === b.name)!.id)
    })

    describe("brandCreate", () => {
      it("creates a brand with a trimmed name and a derived or given handle", async () => {
        const { brand } = await mutate(BRAND_CREATE, {
          input: { name: "  Nordic Loom ", description: "Wool", metadata: { tier: 2, tags: ["a"] } },
        })
        expect(brand).toMatchObject({
          name: "Nordic Loom",
          handle: "nordic-loom",
          description: "Wool",
          metadata: { tier: 2, tags: ["a"] },
        })
        expect(brand.id).toMatch(/^brand_/)
        expect(await rows(`select name, handle, description, metadata, deleted_at from brand where id = ?`, [brand.id])).toEqual([
          { name: "Nordic Loom", handle: "nordic-loom", description: "Wool", metadata: { tier: 2, tags: ["a"] }, deleted_at: null },
        ])

        const given = await mutate(BRAND_CREATE, { input: { name: "Nordic Loom", handle: "nl-two" } })
        expect(given.brand).toMatchObject({ name: "Nordic Loom", handle: "nl-two", description: null, metadata: null })
        // A derived handle that is taken gets a suffix.
        const again = await mutate(BRAND_CREATE, { input: { name: "BOREALIS" } })
        expect(again.brand.handle).toBe("borealis-2")

        // A secret API key is an admin too.
        const keyed = await mutate(BRAND_CREATE, { input: { name: "Keyed" } }, apiKeyHeaders)
        expect(keyed.brand.handle).toBe("keyed")

        // The new brand reads back over GraphQL.
        const read = await gqlData(api, `query ($h: String) { brand(handle: $h) { id products { totalCount } } }`, { h: "nordic-loom" })
        expect(read.brand).toEqual({ id: brand.id, products: { totalCount: 0 } })
        expect((await rows(`select count(*)::int as n from brand where deleted_at is null`))[0].n).toBe(14)
      })

      it("reports invalid names and handles, and taken handles, in userErrors and creates nothing", async () => {
        for (const name of ["", "   ", "x".repeat(201)]) {
          await expectUserError(BRAND_CREATE, { input: { name } }, ["input", "name"], "INVALID")
        }
        for (const handle of ["Bad Handle", "-bad", "bad-", "ba--d", "under_score", "x".repeat(201), ""]) {
          await expectUserError(BRAND_CREATE, { input: { name: "Fine", handle } }, ["input", "handle"], "INVALID")
        }
        await expectUserError(BRAND_CREATE, { input: { name: "Fine", handle: "borealis" } }, ["input", "handle"], "TAKEN")
        await expectUserError(BRAND_CREATE, { input: { name: "Fine", handle: null } }, ["input", "handle"], "INVALID")
        // PostgreSQL text and jsonb cannot hold a NUL character: invalid input, not a server error.
        await expectUserError(BRAND_CREATE, { input: { name: "Nul\u0000Name" } }, ["input", "name"], "INVALID")
        await expectUserError(BRAND_CREATE, { input: { name: "Fine", handle: "nul\u0000" } }, ["input", "handle"], "INVALID")
        await expectUserError(BRAND_CREATE, { input: { name: "Fine", description: "d\u0000" } }, ["input", "description"], "INVALID")
        await expectUserError(BRAND_CREATE, { input: { name: "Fine", metadata: { k: ["v\u0000"] } } }, ["input", "metadata"], "INVALID")
        await expectUserError(BRAND_CREATE, { input: { name: "Fine", metadata: { "k\u0000": 1 } } }, ["input", "metadata"], "INVALID")
        // JSON takes any value; a brand's metadata is an object (or null), as over REST.
        for (const metadata of [[1, 2], "text", 7, true]) {
          await expectUserError(BRAND_CREATE, { input: { name: "Fine", metadata } }, ["input", "metadata"], "INVALID")
        }
      })
    })

    describe("brandUpdate", () => {
      it("updates the given fields and leaves the others", async () => {
        const id = brandIds[1]
        const before = (await rows(`select * from brand where id = ?`, [id]))[0]
        const { brand } = await mutate(BRAND_UPDATE, {
          id,
          input: { name: " Borealis North ", handle: "borealis-north", description: "Colder", metadata: { a: 1 } },
        })
        expect(brand).toMatchObject({ id, name: "Borealis North", handle: "borealis-north", description: "Colder", metadata: { a: 1 } })
        const row = (await rows(`select * from brand where id = ?`, [id]))[0]
        expect(row).toMatchObject({ name: "Borealis North", handle: "borealis-north", description: "Colder", metadata: { a: 1 } })
        expect(row.updated_at.getTime()).toBeGreaterThanOrEqual(before.updated_at.getTime())
        expect(row.created_at).toEqual(before.created_at)

        const partial = await mutate(BRAND_UPDATE, { id, input: { description: "Coldest" } })
        expect(partial.brand).toMatchObject({ name: "Borealis North", handle: "borealis-north", description: "Coldest", metadata: { a: 1 } })
        // Its own handle is not "taken".
        const same = await mutate(BRAND_UPDATE, { id, input: { handle: "borealis-north" } })
        expect(same.brand.handle).toBe("borealis-north")
        // The payload's brand resolves nested fields like any Brand.
        const nested = await mutate(
          `mutation ($id: ID!) { brandUpdate(id: $id, input: { description: "Nested" }) {
             brand { description products(first: 2) { totalCount nodes { id } } } userErrors { field message code } } }`,
          { id }
        )
        const expectedProducts = await rows(
          `select p.id from product p join ${LINK_TABLE} l on l.product_id = p.id and l.deleted_at is null
            where l.brand_id = ? and p.deleted_at is null order by p.title, p.id`,
          [id]
        )
        expect(nested.brand).toEqual({
          description: "Nested",
          products: { totalCount: expectedProducts.length, nodes: expectedProducts.slice(0, 2) },
        })
        // The old handle is free again.
        const other = await mutate(BRAND_UPDATE, { id: brandIds[2], input: { handle: "borealis" } })
        expect(other.brand.handle).toBe("borealis")
      })

      it("reports invalid input, taken handles and missing brands in userErrors and changes nothing", async () => {
        const id = brandIds[1]
        for (const name of ["", "  ", "y".repeat(201), null]) {
          await expectUserError(BRAND_UPDATE, { id, input: { name } }, ["input", "name"], "INVALID")
        }
        for (const handle of ["Not Valid", "trailing-", "ÄÖ", null]) {
          await expectUserError(BRAND_UPDATE, { id, input: { handle } }, ["input", "handle"], "INVALID")
        }
        await expectUserError(BRAND_UPDATE, { id, input: { handle: "halcyon" } }, ["input", "handle"], "TAKEN")
        await expectUserError(BRAND_UPDATE, { id, input: { name: "Nul\u0000" } }, ["input", "name"], "INVALID")
        await expectUserError(BRAND_UPDATE, { id, input: { description: "\u0000" } }, ["input", "description"], "INVALID")
        await expectUserError(BRAND_UPDATE, { id, input: { metadata: { k: "\u0000" } } }, ["input", "metadata"], "INVALID")
        await expectUserError(BRAND_UPDATE, { id, input: { name: "Fine", handle: "halcyon" } }, ["input", "handle"], "TAKEN")
        await expectUserError(BRAND_UPDATE, { id: "brand_missing", input: { name: "Ghost" } }, ["id"], "NOT_FOUND")
        await expectUserError(BRAND_UPDATE, { id: "prod_not_a_brand", input: { name: "Ghost" } }, ["id"], "NOT_FOUND")
        await expectUserError(BRAND_UPDATE, { id: "brand_\u0000", input: { name: "Ghost" } }, ["id"], "NOT_FOUND")

        // A deleted brand is missing too.
        await mutate(BRAND_DELETE, { id: brandIds[9] })
        await expectUserError(BRAND_UPDATE, { id: brandIds[9], input: { name: "Back" } }, ["id"], "NOT_FOUND")
      })
    })

    describe("brandDelete", () => {
      it("deletes the brand and its links; its products stay", async () => {
        const id = brandIds[7]
        const linked = (await live({ brand_id: id })).map((l) => l.product_id).sort()
        expect(linked).toHaveLength(20)
        const otherLinks = (await rows(`select * from ${LINK_TABLE} where brand_id <> ? order by id`, [id]))
        const productsBefore = await rows(`select id, deleted_at from product order by id`)

        const payload = await mutate(BRAND_DELETE, { id })
        expect(payload.deletedBrandId).toBe(id)

        expect((await rows(`select deleted_at from brand where id = ?`, [id]))[0].deleted_at).not.toBeNull()
        expect(await live({ brand_id: id })).toEqual([])
        expect(await rows(`select id, deleted_at from product order by id`)).toEqual(productsBefore)
        expect(await rows(`select * from ${LINK_TABLE} where brand_id <> ? order by id`, [id])).toEqual(otherLinks)

        const read = await gqlData(
          api,
          `query ($id: ID!, $p: ID!) {
             brand(id: $id) { id }
             node(id: $id) { id }
             product(id: $p) { id brand { id } }
             linked: products(filter: { brandId: { eq: $id } }) { totalCount }
             unbranded: products(filter: { hasBrand: false }) { totalCount }
           }`,
          { id, p: linked[0] },
          adminHeaders
        )
        expect(read).toEqual({
          brand: null,
          node: null,
          product: { id: linked[0], brand: null },
          linked: { totalCount: 0 },
          unbranded: { totalCount: 8 + 20 },
        })
      })

      it("reports a missing brand in userErrors and changes nothing", async () => {
        await expectUserError(BRAND_DELETE, { id: "brand_missing" }, ["id"], "NOT_FOUND")
        await expectUserError(BRAND_DELETE, { id: "brand_\u0000" }, ["id"], "NOT_FOUND")
        await mutate(BRAND_DELETE, { id: brandIds[8] })
        await expectUserError(BRAND_DELETE, { id: brandIds[8] }, ["id"], "NOT_FOUND")
      })
    })

    describe("productSetBrand and productUnsetBrand", () => {
      it("replaces the product's brand, and removes it", async () => {
        const [acme, borealis] = [brandIds[0], brandIds[1]]
        const product = await productOf(acme)

        const set = await mutate(SET_BRAND, { productId: product.id, brandId: borealis })
        expect(set.product).toEqual({ id: product.id, title: product.title, brand: { id: borealis, name: "Borealis" } })
        expect((await live({ product_id: product.id })).map((l) => l.brand_id)).toEqual([borealis])

        const read = async () =>
          gqlData(
            api,
            `query ($a: ID!, $b: ID!, $p: ID!) {
               a: brand(id: $a) { products(first: 100) { totalCount nodes { id } } }
               b: brand(id: $b) { products(first: 100) { totalCount nodes { id } } }
               product(id: $p) { brand { id } }
             }`,
            { a: acme, b: borealis, p: product.id },
            adminHeaders
          )
        let seen = await read()
        expect(seen.product.brand).toEqual({ id: borealis })
        expect(seen.a.products.nodes.map((n: any) => n.id)).not.toContain(product.id)
        expect(seen.a.products.totalCount).toBe(19)
        expect(seen.b.products.nodes.map((n: any) => n.id)).toContain(product.id)
        expect(seen.b.products.totalCount).toBe(21)

        // Back to the first brand (its old link row was dismissed), and again to the same one.
        await mutate(SET_BRAND, { productId: product.id, brandId: acme })
        const same = await mutate(SET_BRAND, { productId: product.id, brandId: acme })
        expect(same.product.brand.id).toBe(acme)
        expect((await live({ product_id: product.id })).map((l) => l.brand_id)).toEqual([acme])
        seen = await read()
        expect([seen.a.products.totalCount, seen.b.products.totalCount]).toEqual([20, 20])

        // Unset, twice.
        const unset = await mutate(UNSET_BRAND, { productId: product.id })
        expect(unset.product).toEqual({ id: product.id, brand: null })
        expect(await live({ product_id: product.id })).toEqual([])
        expect((await mutate(UNSET_BRAND, { productId: product.id })).product).toEqual({ id: product.id, brand: null })
        seen = await read()
        expect(seen.product.brand).toBeNull()
        expect(seen.a.products.totalCount).toBe(19)

        // A product that never had a brand (one that is not published, too).
        const unbranded = (await rows(
          `select p.id from product p where p.deleted_at is null and p.status <> 'published' and not exists
             (select 1 from ${LINK_TABLE} l where l.product_id = p.id and l.deleted_at is null) limit 1`
        ))[0]
        expect(unbranded).toBeDefined()
        const linked = await mutate(SET_BRAND, { productId: unbranded.id, brandId: borealis })
        expect(linked.product.brand.id).toBe(borealis)
        expect((await live({ product_id: unbranded.id })).map((l) => l.brand_id)).toEqual([borealis])
      })

      it("reports a missing product or brand in userErrors and keeps the old link", async () => {
        const product = await productOf(brandIds[0])
        const link = await live({ product_id: product.id })
        expect(link).toHaveLength(1)

        await expectUserError(SET_BRAND, { productId: "prod_missing", brandId: brandIds[1] }, ["productId"], "NOT_FOUND")
        await expectUserError(SET_BRAND, { productId: product.id, brandId: "brand_missing" }, ["brandId"], "NOT_FOUND")
        await expectUserError(SET_BRAND, { productId: "prod_missing", brandId: "brand_missing" }, ["productId"], "NOT_FOUND")
        await expectUserError(SET_BRAND, { productId: product.id, brandId: product.id }, ["brandId"], "NOT_FOUND")
        await expectUserError(SET_BRAND, { productId: product.id, brandId: "brand_\u0000" }, ["brandId"], "NOT_FOUND")
        await expectUserError(SET_BRAND, { productId: "prod_\u0000", brandId: brandIds[1] }, ["productId"], "NOT_FOUND")
        await expectUserError(UNSET_BRAND, { productId: "prod_missing" }, ["productId"], "NOT_FOUND")
        await expectUserError(UNSET_BRAND, { productId: brandIds[0] }, ["productId"], "NOT_FOUND")

        // A deleted brand is missing too.
        await mutate(BRAND_DELETE, { id: brandIds[5] })
        await expectUserError(SET_BRAND, { productId: product.id, brandId: brandIds[5] }, ["brandId"], "NOT_FOUND")

        expect(await live({ product_id: product.id })).toEqual(link)
      })
    })

    describe("authentication", () => {
      it("refuses every mutation without an admin: UNAUTHENTICATED, nothing changes", async () => {
        const product = await productOf(brandIds[0])
        const calls: [string, Record<string, unknown>][] = [
          [BRAND_CREATE, { input: { name: "Anonymous" } }],
          [BRAND_UPDATE, { id: brandIds[0], input: { name: "Hijacked" } }],
          [BRAND_DELETE, { id: brandIds[0] }],
          [SET_BRAND, { productId: product.id, brandId: brandIds[1] }],
          [UNSET_BRAND, { productId: product.id }],
          // Input errors do not leak to anonymous callers either.
          [BRAND_CREATE, { input: { name: "" } }],
          [BRAND_DELETE, { id: "brand_missing" }],
        ]
        const before = await snapshot()
        const expectRefused = (res: GraphQLResponse, label: string) => {
          expect({ label, status: res.status, code: errorCode(res), data: res.data ?? null }).toEqual({
            label,
            status: 200,
            code: "UNAUTHENTICATED",
            data: null,
          })
        }
        for (const [query, variables] of calls) {
          expectRefused(await gql(api, query, variables), `anonymous ${query.slice(0, 40)}`)
          // A token that is not valid is no admin either.
          const bad = await gql(api, query, variables, { authorization: "Bearer not-a-token" })
          expect({ status: bad.status, code: errorCode(bad), data: bad.data ?? null }).toEqual({
            status: 401,
            code: "UNAUTHENTICATED",
            data: null,
          })
        }
        expect(await snapshot()).toEqual(before)
      })
    })

    describe("concurrency", () => {
      it("concurrent brandCreate calls: one wins an explicit handle, derived handles all differ", async () => {
        const explicit = await Promise.all(
          Array.from({ length: 5 }, () => gql(api, BRAND_CREATE, { input: { name: "Race", handle: "race" } }, adminHeaders))
        )
        for (const res of explicit) expect(res.errors).toBeUndefined()
        const won = explicit.filter((r) => r.data!.brandCreate.brand)
        expect(won).toHaveLength(1)
        for (const res of explicit.filter((r) => !r.data!.brandCreate.brand)) {
          expect(res.data!.brandCreate.userErrors).toEqual([{ field: ["input", "handle"], code: "TAKEN", message: expect.any(String) }])
        }
        expect(await rows(`select id from brand where handle = 'race' and deleted_at is null`)).toEqual([
          { id: won[0].data!.brandCreate.brand.id },
        ])

        const derived = await Promise.all(
          Array.from({ length: 5 }, () => gql(api, BRAND_CREATE, { input: { name: "Race Derived" } }, adminHeaders))
        )
        for (const res of derived) {
          expect({ errors: res.errors, userErrors: res.data?.brandCreate.userErrors }).toEqual({ errors: undefined, userErrors: [] })
        }
        const handles = derived.map((r) => r.data!.brandCreate.brand.handle)
        expect(new Set(handles).size).toBe(5)
        expect(handles).toContain("race-derived")
        for (const handle of handles) expect(handle).toMatch(/^race-derived(-\d+)?$/)
      })

      it.each([10, 30])("%i concurrent brandCreate calls with one name all succeed, with distinct handles", async (n) => {
        const name = `Crowd ${n}`
        const results = await Promise.all(
          Array.from({ length: n }, () => gql(api, BRAND_CREATE, { input: { name } }, adminHeaders))
        )
        const outcomes = results.map((r) => ({ errors: r.errors, userErrors: r.data?.brandCreate.userErrors }))
        expect(outcomes).toEqual(Array.from({ length: n }, () => ({ errors: undefined, userErrors: [] })))
        const handles = results.map((r) => r.data!.brandCreate.brand.handle)
        expect(new Set(handles).size).toBe(n)
        expect(handles).toContain(`crowd-${n}`)
        for (const handle of handles) expect(handle).toMatch(new RegExp(`^crowd-${n}(-\\d+)?$`))
        const stored = await rows(`select handle from brand where name = ? and deleted_at is null`, [name])
        expect(stored.map((r: { handle: string }) => r.handle).sort()).toEqual([...handles].sort())
      })

      it("brandDelete racing productSetBrand never leaves a link to a deleted brand, nor drops a product's new brand", async () => {
        const linksToDeletedBrands = () =>
          rows(`select l.product_id, l.brand_id from ${LINK_TABLE} l join brand b on b.id = l.brand_id
                 where l.deleted_at is null and b.deleted_at is not null`)
        for (let round = 0; round < 6; round++) {
          const { result } = await createBrandsWorkflow(getContainer()).run({
            input: { brands: [{ name: `Doomed ${round}` }, { name: `Haven ${round}` }] },
          })
          const [doomed, haven] = result.map((b) => b.id)
          // One product moves onto the brand being deleted, another moves off it.
          const onto = await productOf(brandIds[4], round)
          const off = await productOf(brandIds[5], round)
          await mutate(SET_BRAND, { productId: off.id, brandId: doomed })

          const [setOnto, deleted, moveOff] = await Promise.all([
            gql(api, SET_BRAND, { productId: onto.id, brandId: doomed }, adminHeaders),
            gql(api, BRAND_DELETE, { id: doomed }, adminHeaders),
            gql(api, SET_BRAND, { productId: off.id, brandId: haven }, adminHeaders),
          ])
          for (const res of [setOnto, deleted, moveOff]) expect(res.errors).toBeUndefined()
          expect(deleted.data!.brandDelete.userErrors).toEqual([])
          expect(moveOff.data!.productSetBrand.userErrors).toEqual([])

          expect(await linksToDeletedBrands()).toEqual([])
          // Set before the delete: the delete removed the link. After: NOT_FOUND, old brand kept.
          const ontoLinks = await live({ product_id: onto.id })
          if (setOnto.data!.productSetBrand.userErrors.length) {
            expect(setOnto.data!.productSetBrand.userErrors).toEqual([
              { field: ["brandId"], code: "NOT_FOUND", message: expect.any(String) },
            ])
            expect(ontoLinks.map((l) => l.brand_id)).toEqual([brandIds[4]])
          } else {
            expect(ontoLinks).toEqual([])
          }
          expect((await live({ product_id: off.id })).map((l) => l.brand_id)).toEqual([haven])
        }
      })

      it("20 concurrent productSetBrand calls leave exactly one live link", async () => {
        const { result } = await createBrandsWorkflow(getContainer()).run({
          input: { brands: Array.from({ length: 10 }, (_, i) => ({ name: `Extra Brand ${i}` })) },
        })
        const twenty = [...brandIds, ...result.map((b) => b.id)]
        expect(new Set(twenty).size).toBe(20)
        const product = await productOf(brandIds[3])

        const responses = await Promise.all(
          twenty.map((brandId) => gql(api, SET_BRAND, { productId: product.id, brandId }, adminHeaders))
        )
        for (const [i, res] of responses.entries()) {
          expect({ i, errors: res.errors, userErrors: res.data?.productSetBrand.userErrors }).toEqual({ i, errors: undefined, userErrors: [] })
        }

        const links = await live({ product_id: product.id })
        expect(links).toHaveLength(1)
        expect(twenty).toContain(links[0].brand_id)
        const read = await gqlData(api, `query ($id: ID!) { product(id: $id) { brand { id } } }`, { id: product.id }, adminHeaders)
        expect(read.product.brand).toEqual({ id: links[0].brand_id })

        // Exactly one of the twenty brands lists the product.
        const lists = await gqlData(
          api,
          `query ($ids: [ID!]!, $p: ID!) { brands(first: 30, filter: { id: { in: $ids } }) {
             nodes { id products(filter: { id: { eq: $p } }) { totalCount } } } }`,
          { ids: twenty, p: product.id },
          adminHeaders
        )
        const holders = lists.brands.nodes.filter((b: any) => b.products.totalCount === 1).map((b: any) => b.id)
        expect(holders).toEqual([links[0].brand_id])
      })
    })
  },
})
