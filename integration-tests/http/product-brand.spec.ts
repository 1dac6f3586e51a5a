import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import {
  createStep,
  createWorkflow,
  StepResponse,
  WorkflowResponse,
} from "@medusajs/framework/workflows-sdk"
import { DEMO_BRANDS, DEMO_PRODUCT_COUNT, demoProduct, seedDemoData } from "../../src/scripts/demo-data"
import { setProductBrandWorkflow } from "../../src/workflows/set-product-brand"
import { unsetProductBrandWorkflow } from "../../src/workflows/unset-product-brand"
import { setProductsBrandStep } from "../../src/workflows/steps/set-products-brand"
import { createOneBrandPerProductIndex, ONE_BRAND_PER_PRODUCT_INDEX } from "../../src/migration-scripts/create-one-brand-per-product-index"
import { createAdmin, type AdminAuth } from "../helpers/admin"
import { errorOf } from "../helpers/http"
import { allLinks, countOf, LINK_TABLE, liveLinks, productRow } from "../helpers/db"

jest.setTimeout(90 * 1000)

// A workflow that sets a brand and then fails: its compensation must put the
// product's old brand back. Defined once, at module level (names are global).
const failAfterSetStep = createStep("test-fail-after-set", async () => {
  throw new Error("failing on purpose after the brand was set")
})
const setBrandThenFailWorkflow = createWorkflow(
  "test-set-brand-then-fail",
  (input: { product_id: string; brand_id: string }) => {
    setProductsBrandStep([input])
    failAfterSetStep()
    return new WorkflowResponse(input)
  }
)

medusaIntegrationTestRunner({
  inApp: true,
  env: {},
  testSuite: ({ api, getContainer, dbConnection }) => {
    let admin: AdminAuth
    const headers = () => ({ headers: admin.headers })

    beforeEach(async () => {
      admin = await createAdmin(getContainer(), api)
    })

    // `medusa db:migrate` runs the app's migration scripts; the test runner does not.
    beforeAll(async () => {
      const container = getContainer()
      await createOneBrandPerProductIndex(
        container.resolve(ContainerRegistrationKeys.PG_CONNECTION),
        container.resolve(ContainerRegistrationKeys.LOGGER)
      )
    })

    const createBrand = async (name: string) =>
      (await api.post("/admin/brands", { name }, headers())).data.brand as { id: string; name: string }

    // Medusa wants at least one option per product.
    const productBody = (title: string) => ({ title, options: [{ title: "Default", values: ["Default"] }] })

    const createProduct = async (title: string, additional_data?: Record<string, unknown>) => {
      const res = await api
        .post("/admin/products", { ...productBody(title), ...(additional_data ? { additional_data } : {}) }, headers())
        .catch((e) => {
          throw new Error(`POST /admin/products: ${e.response?.status} ${JSON.stringify(e.response?.data)}`)
        })
      return res.data.product as { id: string; title: string }
    }

    const brandOfProduct = async (id: string) =>
      (await api.get(`/admin/products/${id}?fields=+brand.*`, headers())).data.product.brand

    describe("link table", () => {
      it("exists after migrate with the link's columns", async () => {
        const { rows } = await dbConnection.raw(
          `select column_name, is_nullable from information_schema.columns
            where table_schema = 'public' and table_name = ? order by column_name`,
          [LINK_TABLE]
        )
        expect(rows.map((r: any) => r.column_name)).toEqual(
          ["brand_id", "created_at", "deleted_at", "id", "product_id", "updated_at"]
        )
        const nullable = Object.fromEntries(rows.map((r: any) => [r.column_name, r.is_nullable]))
        expect(nullable).toMatchObject({ product_id: "NO", brand_id: "NO", id: "NO", deleted_at: "YES" })
      })
    })

    describe("one live brand per product", () => {
      const insertLink = (id: string, productId: string, brandId: string) =>
        dbConnection.raw(
          `insert into ${LINK_TABLE} (id, product_id, brand_id, created_at, updated_at) values (?, ?, ?, now(), now())`,
          [id, productId, brandId]
        )

      it("the database refuses a second live link row for a product", async () => {
        const a = await createBrand("Acme")
        const b = await createBrand("Borealis")
        const product = await createProduct("Lamp", { brand_id: a.id })

        await expect(insertLink("link_second", product.id, b.id)).rejects.toThrow(ONE_BRAND_PER_PRODUCT_INDEX)
        expect((await liveLinks(dbConnection, { product_id: product.id })).map((l) => l.brand_id)).toEqual([a.id])
        // Soft-deleted rows are history: any number of them may stay.
        await setProductBrandWorkflow(getContainer()).run({ input: { product_id: product.id, brand_id: b.id } })
        await setProductBrandWorkflow(getContainer()).run({ input: { product_id: product.id, brand_id: a.id } })
        await unsetProductBrandWorkflow(getContainer()).run({ input: { product_id: product.id } })
        const c = await createBrand("Cirrus")
        await insertLink("link_after", product.id, c.id)
        expect((await liveLinks(dbConnection, { product_id: product.id })).map((l) => l.brand_id)).toEqual([c.id])
      })

      it("the migration script settles extra live links, then creates the index; a second run changes nothing", async () => {
        const container = getContainer()
        const db = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
        const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
        const a = await createBrand("Acme")
        const b = await createBrand("Borealis")
        const product = await createProduct("Lamp", { brand_id: a.id })
        await dbConnection.raw(`drop index "${ONE_BRAND_PER_PRODUCT_INDEX}"`)
        try {
          await dbConnection.raw(
            `insert into ${LINK_TABLE} (id, product_id, brand_id, created_at, updated_at) values (?, ?, ?, now(), now() + interval '1 second')`,
            ["link_later", product.id, b.id]
          )
          expect(await liveLinks(dbConnection, { product_id: product.id })).toHaveLength(2)
        } finally {
          await createOneBrandPerProductIndex(db, logger)
        }
        expect((await liveLinks(dbConnection, { product_id: product.id })).map((l) => l.brand_id)).toEqual([b.id])
        const before = await allLinks(dbConnection)
        await createOneBrandPerProductIndex(db, logger)
        expect(await allLinks(dbConnection)).toEqual(before)
        const { rows } = await dbConnection.raw(
          `select indexdef from pg_indexes where indexname = ?`,
          [ONE_BRAND_PER_PRODUCT_INDEX]
        )
        expect(rows[0].indexdef).toMatch(/CREATE UNIQUE INDEX .* \(product_id\) WHERE \(deleted_at IS NULL\)/)
      })

      it("a brand change emits the link's detached and attached events, for the rows it changed", async () => {
        const container = getContainer()
        const a = await createBrand("Acme")
        const b = await createBrand("Borealis")
        const product = await createProduct("Lamp", { brand_id: a.id })
        const [old] = await liveLinks(dbConnection, { product_id: product.id })
        const eventBus = container.resolve(Modules.EVENT_BUS)
        const emitted: { name: string; data: unknown }[] = []
        const emit = eventBus.emit.bind(eventBus)
        const spy = jest.spyOn(eventBus, "emit").mockImplementation(async (messages: any, options?: any) => {
          for (const m of [messages].flat()) emitted.push({ name: m.name, data: m.data })
          return emit(messages, options)
        })
        try {
          await setProductBrandWorkflow(container).run({ input: { product_id: product.id, brand_id: b.id } })
        } finally {
          spy.mockRestore()
        }
        const [now] = await liveLinks(dbConnection, { product_id: product.id })
        expect(emitted.filter((e) => e.name.startsWith("LinkProductProductBrandBrand."))).toEqual([
          { name: "LinkProductProductBrandBrand.detached", data: { id: old.id } },
          { name: "LinkProductProductBrandBrand.attached", data: { id: now.id } },
        ])
      })
    })

    describe("POST /admin/products with additional_data.brand_id", () => {
      it("links the new product to the brand", async () => {
        const brand = await createBrand("Fjord Audio")
        const product = await createProduct("Studio Monitor", { brand_id: brand.id })

        const links = await liveLinks(dbConnection, { product_id: product.id })
        expect(links).toHaveLength(1)
        expect(links[0]).toMatchObject({ product_id: product.id, brand_id: brand.id })
        expect(links[0].id).toMatch(/^link_/)
        expect(await brandOfProduct(product.id)).toMatchObject({ id: brand.id, name: "Fjord Audio" })
      })

      it("creates a product without a brand when brand_id is not given", async () => {
        const product = await createProduct("Plain Mug")
        expect(await liveLinks(dbConnection, { product_id: product.id })).toHaveLength(0)
        expect(await brandOfProduct(product.id)).toBeFalsy()
      })

      it("fails with 404 for a brand that does not exist and creates no product", async () => {
        const res = await errorOf(
          api.post(
            "/admin/products",
            { ...productBody("Orphan Lamp"), additional_data: { brand_id: "brand_missing" } },
            headers()
          )
        )
        expect(res.status).toBe(404)
        expect(res.data.message).toContain("brand_missing")
        expect(await countOf(dbConnection, `select count(*)::int as n from product`)).toBe(0)
        expect(await allLinks(dbConnection)).toHaveLength(0)
      })

      it("rejects a brand_id of the wrong type with 400 and creates no product", async () => {
        const res = await errorOf(
          api.post("/admin/products", { ...productBody("Odd Lamp"), additional_data: { brand_id: 42 } }, headers())
        )
        expect(res.status).toBe(400)
        expect(await countOf(dbConnection, `select count(*)::int as n from product`)).toBe(0)
      })
    })

    describe("POST /admin/products/:id with additional_data.brand_id", () => {
      it("sets, replaces and removes the brand", async () => {
        const a = await createBrand("Acme")
        const b = await createBrand("Borealis")
        const product = await createProduct("Kettle")

        await api.post(`/admin/products/${product.id}`, { additional_data: { brand_id: a.id } }, headers())
        expect((await liveLinks(dbConnection, { product_id: product.id })).map((l) => l.brand_id)).toEqual([a.id])
        expect(await brandOfProduct(product.id)).toMatchObject({ id: a.id })

        await api.post(`/admin/products/${product.id}`, { additional_data: { brand_id: b.id } }, headers())
        expect((await liveLinks(dbConnection, { product_id: product.id })).map((l) => l.brand_id)).toEqual([b.id])
        expect(await brandOfProduct(product.id)).toMatchObject({ id: b.id })

        // Back to the first brand: its old, dismissed link row must not get in the way.
        await api.post(`/admin/products/${product.id}`, { additional_data: { brand_id: a.id } }, headers())
        expect((await liveLinks(dbConnection, { product_id: product.id })).map((l) => l.brand_id)).toEqual([a.id])

        await api.post(`/admin/products/${product.id}`, { additional_data: { brand_id: null } }, headers())
        expect(await liveLinks(dbConnection, { product_id: product.id })).toHaveLength(0)
        expect(await brandOfProduct(product.id)).toBeFalsy()
        // Both brands are still there.
        expect(await countOf(dbConnection, `select count(*)::int as n from brand where deleted_at is null`)).toBe(2)
      })

      it("leaves the brand alone when additional_data has no brand_id", async () => {
        const a = await createBrand("Acme")
        const product = await createProduct("Kettle", { brand_id: a.id })
        await api.post(`/admin/products/${product.id}`, { title: "Kettle 2" }, headers())
        expect((await liveLinks(dbConnection, { product_id: product.id })).map((l) => l.brand_id)).toEqual([a.id])
      })

      it("fails with 404 for a missing brand and leaves product and link as they were", async () => {
        const a = await createBrand("Acme")
        const product = await createProduct("Kettle", { brand_id: a.id })
        const linksBefore = await allLinks(dbConnection)

        const res = await errorOf(
          api.post(
            `/admin/products/${product.id}`,
            { title: "Renamed Kettle", additional_data: { brand_id: "brand_missing" } },
            headers()
          )
        )
        expect(res.status).toBe(404)
        expect((await productRow(dbConnection, product.id)).title).toBe("Kettle")
        expect(await allLinks(dbConnection)).toEqual(linksBefore)
        expect(await brandOfProduct(product.id)).toMatchObject({ id: a.id })
      })
    })

    describe("set and unset workflows", () => {
      it("set links, replaces and unset removes, with at most one live link", async () => {
        const container = getContainer()
        const a = await createBrand("Acme")
        const b = await createBrand("Borealis")
        const product = await createProduct("Lamp")

        await setProductBrandWorkflow(container).run({ input: { product_id: product.id, brand_id: a.id } })
        expect((await liveLinks(dbConnection, { product_id: product.id })).map((l) => l.brand_id)).toEqual([a.id])

        // Setting the same brand again changes nothing.
        const [linkA] = await liveLinks(dbConnection, { product_id: product.id })
        await setProductBrandWorkflow(container).run({ input: { product_id: product.id, brand_id: a.id } })
        expect(await liveLinks(dbConnection, { product_id: product.id })).toEqual([linkA])

        await setProductBrandWorkflow(container).run({ input: { product_id: product.id, brand_id: b.id } })
        expect((await liveLinks(dbConnection, { product_id: product.id })).map((l) => l.brand_id)).toEqual([b.id])

        await unsetProductBrandWorkflow(container).run({ input: { product_id: product.id } })
        expect(await liveLinks(dbConnection, { product_id: product.id })).toHaveLength(0)

        // Unsetting a product without a brand is fine and changes nothing.
        await unsetProductBrandWorkflow(container).run({ input: { product_id: product.id } })
        expect(await liveLinks(dbConnection, { product_id: product.id })).toHaveLength(0)
      })

      it("a set with a missing brand or product fails with not_found and keeps the old link", async () => {
        const container = getContainer()
        const a = await createBrand("Acme")
        const product = await createProduct("Lamp", { brand_id: a.id })
        const before = await allLinks(dbConnection)

        const { errors } = await setProductBrandWorkflow(container).run({
          input: { product_id: product.id, brand_id: "brand_missing" },
          throwOnError: false,
        })
        expect(errors[0].error).toMatchObject({ type: "not_found", field: "brandId" })
        expect(await allLinks(dbConnection)).toEqual(before)

        const missingProduct = await setProductBrandWorkflow(container).run({
          input: { product_id: "prod_missing", brand_id: a.id },
          throwOnError: false,
        })
        expect(missingProduct.errors[0].error).toMatchObject({ type: "not_found", field: "productId" })
        expect(await allLinks(dbConnection)).toEqual(before)

        const unset = await unsetProductBrandWorkflow(container).run({
          input: { product_id: "prod_missing" },
          throwOnError: false,
        })
        expect(unset.errors[0].error).toMatchObject({ type: "not_found" })
        expect(await liveLinks(dbConnection)).toHaveLength(1)
      })

      it("a workflow that fails after setting the brand gives the product its old brand back", async () => {
        const container = getContainer()
        const a = await createBrand("Acme")
        const b = await createBrand("Borealis")
        const product = await createProduct("Lamp", { brand_id: a.id })

        const { errors } = await setBrandThenFailWorkflow(container).run({
          input: { product_id: product.id, brand_id: b.id },
          throwOnError: false,
        })
        expect(errors[0].error.message).toContain("failing on purpose")
        expect((await liveLinks(dbConnection, { product_id: product.id })).map((l) => l.brand_id)).toEqual([a.id])

        // And a product that had no brand has none again.
        const bare = await createProduct("Mug")
        await setBrandThenFailWorkflow(container).run({
          input: { product_id: bare.id, brand_id: b.id },
          throwOnError: false,
        })
        expect(await liveLinks(dbConnection, { product_id: bare.id })).toHaveLength(0)
      })

      it("concurrent sets of one product leave exactly one live link", async () => {
        const container = getContainer()
        const brands = await Promise.all(["One", "Two", "Three", "Four", "Five"].map(createBrand))
        const product = await createProduct("Lamp")

        const runs = await Promise.all(
          brands.map((b) =>
            setProductBrandWorkflow(container).run({
              input: { product_id: product.id, brand_id: b.id },
              throwOnError: false,
            })
          )
        )
        expect(runs.flatMap((r) => r.errors)).toEqual([])
        const links = await liveLinks(dbConnection, { product_id: product.id })
        expect(links).toHaveLength(1)
        expect(brands.map((b) => b.id)).toContain(links[0].brand_id)
      })
    })

    describe("deleting", () => {
      it("DELETE /admin/brands/:id removes its links and keeps its products", async () => {
        const a = await createBrand("Acme")
        const b = await createBrand("Borealis")
        const p1 = await createProduct("Lamp", { brand_id: a.id })
        const p2 = await createProduct("Mug", { brand_id: a.id })
        const p3 = await createProduct("Rug", { brand_id: b.id })

        const res = await api.delete(`/admin/brands/${a.id}`, headers())
        expect(res.data).toEqual({ id: a.id, object: "brand", deleted: true })

        expect(await liveLinks(dbConnection, { brand_id: a.id })).toHaveLength(0)
        expect((await liveLinks(dbConnection)).map((l) => l.product_id)).toEqual([p3.id])
        for (const p of [p1, p2, p3]) {
          expect((await productRow(dbConnection, p.id)).deleted_at).toBeNull()
        }
        expect(await brandOfProduct(p1.id)).toBeFalsy()
        const { data } = await api.get(`/admin/brands/${b.id}?fields=id,products.id`, headers())
        expect(data.brand.products.map((p: any) => p.id)).toEqual([p3.id])
      })

      it("DELETE /admin/products/:id leaves no live link for the product", async () => {
        const a = await createBrand("Acme")
        const p1 = await createProduct("Lamp", { brand_id: a.id })
        const p2 = await createProduct("Mug", { brand_id: a.id })

        await api.delete(`/admin/products/${p1.id}`, headers())

        expect(await liveLinks(dbConnection, { product_id: p1.id })).toHaveLength(0)
        expect((await liveLinks(dbConnection)).map((l) => l.product_id)).toEqual([p2.id])
        const { data } = await api.get(`/admin/brands/${a.id}?fields=id,products.id`, headers())
        expect(data.brand.products.map((p: any) => p.id)).toEqual([p2.id])
      })
    })

    describe("demo seed", () => {
      // Products, each with its brand's handle (null when it has none), as stored.
      const productsWithBrands = async () =>
        (
          await dbConnection.raw(
            `select p.id, p.handle, p.status, b.handle as brand_handle
               from product p
               left join ${LINK_TABLE} l on l.product_id = p.id and l.deleted_at is null
               left join brand b on b.id = l.brand_id
              where p.deleted_at is null
              order by p.handle`
          )
        ).rows

      it("creates 10 brands, 200 products with links and an admin, and a second run changes nothing", async () => {
        const container = getContainer()
        const first = await seedDemoData(container)
        expect(first).toEqual({ brandsCreated: 10, productsCreated: 200, adminCreated: true })

        const brands = (await dbConnection.raw(`select id, name, handle from brand where deleted_at is null order by name`)).rows
        expect(brands.map((b: any) => b.name)).toEqual(DEMO_BRANDS.map((b) => b.name))
        expect(brands.map((b: any) => b.handle)).toContain("cobalt-co")

        const products = await productsWithBrands()
        expect(products).toHaveLength(DEMO_PRODUCT_COUNT)
        // Every product appears once: at most one live link each.
        expect(new Set(products.map((p: any) => p.id)).size).toBe(DEMO_PRODUCT_COUNT)

        const handleByName = new Map(brands.map((b: any) => [b.name, b.handle]))
        const expected = Array.from({ length: DEMO_PRODUCT_COUNT }, (_, n) => demoProduct(n))
          .map((p) => ({
            handle: p.handle,
            status: p.status,
            brand_handle: p.brandIndex === null ? null : handleByName.get(DEMO_BRANDS[p.brandIndex].name),
          }))
          .sort((a, b) => (a.handle < b.handle ? -1 : 1))
        expect(products.map(({ handle, status, brand_handle }: any) => ({ handle, status, brand_handle }))).toEqual(expected)

        const withoutBrand = products.filter((p: any) => p.brand_handle === null)
        expect(withoutBrand.length).toBeGreaterThan(0)
        expect(withoutBrand.length).toBeLessThan(20)
        expect(new Set(products.map((p: any) => p.status))).toEqual(
          new Set(["published", "draft", "proposed", "rejected"])
        )
        for (const b of brands) {
          expect(products.filter((p: any) => p.brand_handle === b.handle).length).toBeGreaterThan(10)
        }

        // The admin it made can log in and sees the demo brands.
        const email = process.env.ADMIN_EMAIL ?? "admin@example.com"
        const password = process.env.ADMIN_PASSWORD ?? "supersecret"
        const { data: login } = await api.post("/auth/user/emailpass", { email, password })
        const { data: list } = await api.get("/admin/brands?limit=50", {
          headers: { authorization: `Bearer ${login.token}` },
        })
        expect(list.count).toBe(10)

        const snapshot = async () => ({
          brands: (await dbConnection.raw(`select * from brand order by id`)).rows,
          products: (await dbConnection.raw(`select id, handle, status, updated_at, deleted_at from product order by id`)).rows,
          links: await allLinks(dbConnection),
          users: (await dbConnection.raw(`select id, email from "user" order by id`)).rows,
        })
        const before = await snapshot()
        const second = await seedDemoData(container)
        expect(second).toEqual({ brandsCreated: 0, productsCreated: 0, adminCreated: false })
        expect(await snapshot()).toEqual(before)
      })
    })

    describe("Query across the link", () => {
      it("reads a product's brand and a brand's products", async () => {
        const query = getContainer().resolve(ContainerRegistrationKeys.QUERY)
        const a = await createBrand("Acme")
        const p1 = await createProduct("Lamp", { brand_id: a.id })
        await createProduct("Mug")

        const { data: products } = await query.graph({
          entity: "product",
          fields: ["id", "brand.id"],
          filters: { brand: { id: a.id } } as any,
        })
        expect(products.map((p: any) => p.id)).toEqual([p1.id])
      })
    })
  },
})
