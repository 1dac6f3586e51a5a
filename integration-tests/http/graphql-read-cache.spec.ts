import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { PRODUCT_BRAND_LINK_ENTITY } from "../../src/catalog/read-cache"
import { updateBrandWorkflow } from "../../src/workflows/update-brand"
import { DEMO_BRANDS, seedDemoData } from "../../src/scripts/demo-data"
import { createAdmin } from "../helpers/admin"
import { LINK_TABLE } from "../helpers/db"
import { countStatements, gql, gqlData, type Headers } from "../helpers/graphql"
import { useStorefrontKey } from "../helpers/storefront"

jest.setTimeout(120 * 1000)

// GraphQL queries read through Medusa's Caching Module (on by default). A
// cached read must never outlive a change: each test fills the cache first,
// changes data through one of the ways Medusa offers, and reads again.
medusaIntegrationTestRunner({
  inApp: true,
  env: {},
  testSuite: ({ api, getContainer, dbConnection }) => {
    let webshop: string
    let adminHeaders: Headers
    /** Demo brand ids by index in DEMO_BRANDS. */
    let brandIds: string[]

    const rows = async (sql: string, bindings: unknown[] = []) => (await dbConnection.raw(sql, bindings as any)).rows
    /** A published demo product of the brand, by title order. */
    const productOf = async (brandId: string) =>
      (
        await rows(
          `select p.id, p.title from product p join ${LINK_TABLE} l on l.product_id = p.id and l.deleted_at is null
            where l.brand_id = ? and p.deleted_at is null and p.status = 'published' order by p.title, p.id limit 1`,
          [brandId]
        )
      )[0] as { id: string; title: string }

    /**
     * Reads twice: the second answer must equal the first and come from the
     * cache, with no statement at all: Query's calls and the planned
     * statements over the link table (Brand.products, hasBrand: false) alike.
     */
    const readCached = async (query: string, variables: Record<string, unknown> = {}, { headers = {} }: { headers?: Headers } = {}) => {
      const first = await gqlData(api, query, variables, headers)
      const { result, statements } = await countStatements(() => gqlData(api, query, variables, headers))
      expect(statements).toEqual([])
      expect(result).toEqual(first)
      return first
    }

    beforeAll(async () => {
      const container = getContainer()
      await seedDemoData(container)
      await useStorefrontKey(api, container)
      adminHeaders = (await createAdmin(container, api)).headers
      const brands = (await rows(`select id, name from brand`)) as { id: string; name: string }[]
      brandIds = DEMO_BRANDS.map((b) => brands.find((r) => r.name === b.name)!.id)
      webshop = (await rows(`select id from sales_channel where name = 'Webshop'`))[0].id
    })

    it("tags reads with the product-brand link's entity, so that attaching or detaching a link invalidates them", async () => {
      // Loaded once the app is up: defineLink needs the modules registered.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const link = require("../../src/links/product-brand").default
      expect(link.entity).toBe(PRODUCT_BRAND_LINK_ENTITY)
    })

    it("serves a repeated query from the cache; an admin reads past it with Cache-Control: no-cache", async () => {
      const query = `{ products(first: 10, orderBy: { field: TITLE }) { totalCount nodes { id title brand { id name } } } }`
      const cached = await readCached(query, {}, { headers: adminHeaders })
      expect(cached.products.nodes).toHaveLength(10)

      const fresh: Headers[] = [{ "cache-control": "no-cache" }, { "cache-control": "max-age=0, no-store" }, { pragma: "no-cache" }]
      for (const header of fresh) {
        const { result, statements } = await countStatements(() => gqlData(api, query, {}, { ...adminHeaders, ...header }))
        expect(result).toEqual(cached)
        // The page with its brands, and the count.
        expect(statements.length).toBeGreaterThanOrEqual(3)
      }

      // Anonymous callers cannot make a request skip the cache.
      const anonymous = await readCached(query)
      for (const header of fresh) {
        const { result, statements } = await countStatements(() => gqlData(api, query, {}, header))
        expect(result).toEqual(anonymous)
        expect(statements).toEqual([])
      }
    })

    it("keeps anonymous and admin reads apart", async () => {
      const query = `{ products(first: 100, filter: { status: [DRAFT] }) { totalCount } }`
      const anonymous = await readCached(query)
      const admin = await readCached(query, {}, { headers: adminHeaders })
      expect(anonymous.products.totalCount).toBe(0)
      expect(admin.products.totalCount).toBeGreaterThan(0)
    })

    it("shows a product's new title, brand and status right after Medusa's REST routes change them", async () => {
      const [from, to] = [brandIds[0], brandIds[1]]
      const product = await productOf(from)
      const query = `query ($id: ID!, $from: ID!, $to: ID!) {
        product(id: $id) { title brand { id } }
        node(id: $id) { id }
        inFrom: products(first: 100, filter: { brandId: { eq: $from } }) { totalCount nodes { id } }
        inTo: products(first: 100, filter: { brandId: { eq: $to } }) { totalCount nodes { id } }
        unbranded: products(first: 100, filter: { hasBrand: false }) { totalCount }
        fromBrand: brand(id: $from) { products(first: 100) { totalCount nodes { id } } }
      }`
      const vars = { id: product.id, from, to }
      const ids = (c: { nodes: { id: string }[] }) => c.nodes.map((n) => n.id)
      // Planned statements included: a page and a count of the products without a brand, and of the brand's products.
      const before = await readCached(query, vars)
      expect(before.product).toEqual({ title: product.title, brand: { id: from } })
      expect(ids(before.inFrom)).toContain(product.id)

      const update = (body: object) => api.post(`/admin/products/${product.id}`, body, { headers: adminHeaders })

      await update({ title: "A renamed product" })
      expect((await gqlData(api, query, vars)).product.title).toBe("A renamed product")

      await update({ additional_data: { brand_id: to } })
      const moved = await gqlData(api, query, vars)
      expect(moved.product.brand).toEqual({ id: to })
      expect(ids(moved.inFrom)).not.toContain(product.id)
      expect(ids(moved.inTo)).toContain(product.id)
      expect(moved.inFrom.totalCount).toBe(before.inFrom.totalCount - 1)
      expect(moved.inTo.totalCount).toBe(before.inTo.totalCount + 1)
      expect(ids(moved.fromBrand.products)).not.toContain(product.id)

      await update({ additional_data: { brand_id: null } })
      const unbranded = await gqlData(api, query, vars)
      expect(unbranded.product.brand).toBeNull()
      expect(unbranded.unbranded.totalCount).toBe(before.unbranded.totalCount + 1)

      // Unpublished: gone for anonymous callers everywhere.
      await update({ status: "draft" })
      const hidden = await gqlData(api, query, vars)
      expect(hidden.product).toBeNull()
      expect(hidden.node).toBeNull()
      expect(hidden.unbranded.totalCount).toBe(before.unbranded.totalCount)
    })

    it("shows created and deleted products in lists and counts", async () => {
      const brandId = brandIds[2]
      const query = `query ($b: ID!) { products(first: 100, filter: { brandId: { eq: $b } }) { totalCount nodes { id } } }`
      const before = await readCached(query, { b: brandId })

      const { data } = await api.post(
        "/admin/products",
        {
          title: "Cache Test Lantern",
          status: "published",
          options: [{ title: "Default", values: ["Default"] }],
          // In the webshop's channel, so that the storefront sees it.
          sales_channels: [{ id: webshop }],
          additional_data: { brand_id: brandId },
        },
        { headers: adminHeaders }
      )
      const created = await gqlData(api, query, { b: brandId })
      expect(created.products.totalCount).toBe(before.products.totalCount + 1)
      expect(created.products.nodes.map((n: any) => n.id)).toContain(data.product.id)

      await api.delete(`/admin/products/${data.product.id}`, { headers: adminHeaders })
      expect(await gqlData(api, query, { b: brandId })).toEqual(before)
    })

    it("drops an answer that found nothing once a matching record is created", async () => {
      const query = `{
        product(handle: "fresh-lantern") { id title }
        products(first: 5, filter: { title: { eq: "Fresh Lantern" } }) { totalCount nodes { id } }
        brand(handle: "fresh-brand") { id }
        brands(first: 5, filter: { name: { eq: "Fresh Brand" } }) { totalCount nodes { id } }
      }`
      const before = await readCached(query)
      expect(before).toEqual({
        product: null,
        products: { totalCount: 0, nodes: [] },
        brand: null,
        brands: { totalCount: 0, nodes: [] },
      })

      const created = await gqlData(
        api,
        `mutation { brandCreate(input: { name: "Fresh Brand" }) { brand { id } } }`,
        {},
        adminHeaders
      )
      const { data } = await api.post(
        "/admin/products",
        {
          title: "Fresh Lantern",
          handle: "fresh-lantern",
          status: "published",
          options: [{ title: "Default", values: ["Default"] }],
          sales_channels: [{ id: webshop }],
        },
        { headers: adminHeaders }
      )
      const brandId = created.brandCreate.brand.id
      expect(await gqlData(api, query)).toEqual({
        product: { id: data.product.id, title: "Fresh Lantern" },
        products: { totalCount: 1, nodes: [{ id: data.product.id }] },
        brand: { id: brandId },
        brands: { totalCount: 1, nodes: [{ id: brandId }] },
      })
    })

    it("shows brand changes from GraphQL mutations, workflows and deletes", async () => {
      const brandId = brandIds[6]
      const product = await productOf(brandId)
      const query = `query ($p: ID!, $b: ID!) {
        product(id: $p) { brand { id name } }
        brand(id: $b) { name }
        brands(first: 100) { totalCount nodes { id name } }
      }`
      const vars = { p: product.id, b: brandId }
      const before = await readCached(query, vars)
      expect(before.product.brand).toEqual({ id: brandId, name: DEMO_BRANDS[6].name })

      const renamed = await gqlData(
        api,
        `mutation ($id: ID!) { brandUpdate(id: $id, input: { name: "Renamed Once" }) { brand { name } userErrors { code } } }`,
        { id: brandId },
        adminHeaders
      )
      expect(renamed.brandUpdate).toEqual({ brand: { name: "Renamed Once" }, userErrors: [] })
      const afterMutation = await gqlData(api, query, vars)
      expect(afterMutation.product.brand.name).toBe("Renamed Once")
      expect(afterMutation.brand.name).toBe("Renamed Once")
      expect(afterMutation.brands.nodes.find((b: any) => b.id === brandId).name).toBe("Renamed Once")

      await updateBrandWorkflow(getContainer()).run({ input: { id: brandId, update: { name: "Renamed Twice" } } })
      expect((await gqlData(api, query, vars)).product.brand.name).toBe("Renamed Twice")

      await api.delete(`/admin/brands/${brandId}`, { headers: adminHeaders })
      const deleted = await gqlData(api, query, vars)
      expect(deleted.product.brand).toBeNull()
      expect(deleted.brand).toBeNull()
      expect(deleted.brands.totalCount).toBe(before.brands.totalCount - 1)
    })

    it("shows a brand set or unset by productSetBrand and productUnsetBrand (link changes only)", async () => {
      const [from, to] = [brandIds[7], brandIds[8]]
      const product = await productOf(from)
      const query = `query ($id: ID!, $to: ID!) {
        product(id: $id) { brand { id } }
        inTo: products(first: 100, filter: { brandId: { eq: $to } }) { totalCount nodes { id } }
        branded: products(first: 1, filter: { hasBrand: true }) { totalCount }
        unbranded: products(first: 100, filter: { hasBrand: false }) { totalCount nodes { id } }
        toBrand: brand(id: $to) { products(first: 100) { totalCount nodes { id } } }
      }`
      const vars = { id: product.id, to }
      const before = await readCached(query, vars)
      const mutate = (mutation: string, variables: Record<string, unknown>) => gqlData(api, mutation, variables, adminHeaders)

      await mutate(`mutation ($p: ID!, $b: ID!) { productSetBrand(productId: $p, brandId: $b) { userErrors { code } } }`, {
        p: product.id,
        b: to,
      })
      const moved = await gqlData(api, query, vars)
      expect(moved.product.brand).toEqual({ id: to })
      expect(moved.inTo.totalCount).toBe(before.inTo.totalCount + 1)
      expect(moved.inTo.nodes.map((n: any) => n.id)).toContain(product.id)
      // The planned reads too: Brand.products and the products without a brand.
      expect(moved.toBrand.products.totalCount).toBe(before.toBrand.products.totalCount + 1)
      expect(moved.toBrand.products.nodes.map((n: any) => n.id)).toContain(product.id)

      await mutate(`mutation ($p: ID!) { productUnsetBrand(productId: $p) { userErrors { code } } }`, { p: product.id })
      const unset = await gqlData(api, query, vars)
      expect(unset.product.brand).toBeNull()
      expect(unset.inTo.totalCount).toBe(before.inTo.totalCount)
      expect(unset.branded.totalCount).toBe(before.branded.totalCount - 1)
      expect(unset.unbranded.totalCount).toBe(before.unbranded.totalCount + 1)
      expect(unset.unbranded.nodes.map((n: any) => n.id)).toContain(product.id)
      expect(unset.toBrand.products).toEqual(before.toBrand.products)
    })

    it("answers a mutation with what it wrote, never with a cached read", async () => {
      const product = await productOf(brandIds[4])
      const target = brandIds[5]
      await readCached(`query ($id: ID!) { product(id: $id) { id title brand { id name } } }`, { id: product.id }, { headers: adminHeaders })
      const res = await gqlData(
        api,
        `mutation ($p: ID!, $b: ID!) { productSetBrand(productId: $p, brandId: $b) { product { id title brand { id name } } } }`,
        { p: product.id, b: target },
        adminHeaders
      )
      expect(res.productSetBrand.product).toEqual({
        id: product.id,
        title: product.title,
        brand: { id: target, name: DEMO_BRANDS[5].name },
      })
    })
  },
})
