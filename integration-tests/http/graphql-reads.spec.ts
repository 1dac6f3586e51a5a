import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import {
  createProductsWorkflow,
  deleteProductsWorkflow,
  updateProductsWorkflow,
} from "@medusajs/medusa/core-flows"
import { createBrandsWorkflow } from "../../src/workflows/create-brands"
import { deleteBrandsWorkflow } from "../../src/workflows/delete-brands"
import { updateBrandWorkflow } from "../../src/workflows/update-brand"
import { DEMO_BRANDS, seedDemoData } from "../../src/scripts/demo-data"
import { createAdmin, createSecretApiKey } from "../helpers/admin"
import { countStatements, craftCursor, errorCode, gql, gqlData, type Headers } from "../helpers/graphql"
import { useStorefrontKey } from "../helpers/storefront"

jest.setTimeout(180 * 1000)

type PageInfo = { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null }
type Page = {
  edges: { cursor: string; node: { id: string } }[]
  nodes: { id: string }[]
  pageInfo: PageInfo
  totalCount?: number
}
type PageArgs = { first?: number; after?: string | null; last?: number; before?: string | null }
type Fetch = (args: PageArgs) => Promise<Page>
type Direction = "ASC" | "DESC"

// Paging leaves totalCount out (it costs a count per page after the first); the filter tests check it on later pages.
const CONNECTION = `edges { cursor node { id } } nodes { id } pageInfo { hasNextPage hasPreviousPage startCursor endCursor }`
const PAGE_VARS = `$first: Int, $after: String, $last: Int, $before: String`
const PAGE_ARGS = `first: $first, after: $after, last: $last, before: $before`

const PRODUCTS_PAGE = `query (${PAGE_VARS}, $filter: ProductFilter, $orderBy: ProductOrder) {
  products(${PAGE_ARGS}, filter: $filter, orderBy: $orderBy) { ${CONNECTION} }
}`
const BRANDS_PAGE = `query (${PAGE_VARS}, $filter: BrandFilter, $orderBy: BrandOrder) {
  brands(${PAGE_ARGS}, filter: $filter, orderBy: $orderBy) { ${CONNECTION} }
}`
const BRAND_PRODUCTS_PAGE = `query ($id: ID!, ${PAGE_VARS}, $filter: ProductFilter, $orderBy: ProductOrder) {
  brand(id: $id) { products(${PAGE_ARGS}, filter: $filter, orderBy: $orderBy) { ${CONNECTION} } }
}`

const COLUMN: Record<string, string> = {
  TITLE: "title",
  NAME: "name",
  CREATED_AT: "created_at",
  UPDATED_AT: "updated_at",
}
const ORDERS = (first: string) =>
  [first, "CREATED_AT", "UPDATED_AT"].flatMap((field) =>
    (["ASC", "DESC"] as Direction[]).map((direction) => ({ field, direction }))
  )

const OPTIONS = [{ title: "Default", values: ["Default"] }]
const LINKED = `exists (select 1 from product_product_brand_brand l
  where l.product_id = p.id and l.deleted_at is null)`
const LINKED_TO = `exists (select 1 from product_product_brand_brand l
  where l.product_id = p.id and l.deleted_at is null and l.brand_id = any(?))`

/** The page and its pageInfo must agree: nodes = edges' nodes, start/end cursors = first/last edge. */
function expectWellFormed(page: Page, label: string) {
  expect({ label, nodes: page.nodes.map((n) => n.id) }).toEqual({ label, nodes: page.edges.map((e) => e.node.id) })
  expect({ label, start: page.pageInfo.startCursor, end: page.pageInfo.endCursor }).toEqual({
    label,
    start: page.edges[0]?.cursor ?? null,
    end: page.edges[page.edges.length - 1]?.cursor ?? null,
  })
}

/** Pages forward with `first: size` and checks each page against the expected ordered ids. */
async function expectForwardPaging(fetch: Fetch, expected: string[], size: number, label: string) {
  const seen: string[] = []
  let after: string | null = null
  for (let i = 0; ; i++) {
    if (i > expected.length + 1) throw new Error(`${label}: forward paging does not end`)
    const page = await fetch({ first: size, after })
    const tag = `${label} size ${size} forward page ${i}`
    expectWellFormed(page, tag)
    expect({
      tag,
      ids: page.nodes.map((n) => n.id),
      hasNextPage: page.pageInfo.hasNextPage,
      hasPreviousPage: page.pageInfo.hasPreviousPage,
    }).toEqual({
      tag,
      ids: expected.slice(i * size, (i + 1) * size),
      hasNextPage: (i + 1) * size < expected.length,
      hasPreviousPage: i > 0,
    })
    seen.push(...page.nodes.map((n) => n.id))
    if (!page.pageInfo.hasNextPage) break
    after = page.pageInfo.endCursor
  }
  expect({ label, size, seen }).toEqual({ label, size, seen: expected })
}

/** Pages backward with `last: size` / `before`; the nodes visited are the list reversed. */
async function expectBackwardPaging(fetch: Fetch, expected: string[], size: number, label: string) {
  const visited: string[] = []
  let before: string | null = null
  for (let j = 0; ; j++) {
    if (j > expected.length + 1) throw new Error(`${label}: backward paging does not end`)
    const page = await fetch({ last: size, before })
    const tag = `${label} size ${size} backward page ${j}`
    expectWellFormed(page, tag)
    const end = expected.length - j * size
    const start = Math.max(0, end - size)
    expect({
      tag,
      ids: page.nodes.map((n) => n.id),
      hasNextPage: page.pageInfo.hasNextPage,
      hasPreviousPage: page.pageInfo.hasPreviousPage,
    }).toEqual({
      tag,
      ids: expected.slice(start, Math.max(end, 0)),
      hasNextPage: j > 0,
      hasPreviousPage: start > 0,
    })
    visited.push(...page.nodes.map((n) => n.id).reverse())
    if (!page.pageInfo.hasPreviousPage) break
    before = page.pageInfo.startCursor
  }
  expect({ label, size, visited }).toEqual({ label, size, visited: [...expected].reverse() })
}

medusaIntegrationTestRunner({
  inApp: true,
  env: {},
  testSuite: ({ api, getContainer, dbConnection }) => {
    let adminHeaders: Headers
    let apiKeyHeaders: Headers
    /** Demo brand ids by index in DEMO_BRANDS. */
    let brandIds: string[]
    let percentBrandId: string
    let deletedBrandId: string
    let deletedProductId: string
    const extra: Record<string, string> = {}

    const rows = async (sql: string, bindings: unknown[] = []) => (await dbConnection.raw(sql, bindings as any)).rows
    const idsOf = async (sql: string, bindings: unknown[] = []) => (await rows(sql, bindings)).map((r: any) => r.id)

    /** Live products matching `where` (SQL over alias p) in the given order, as the actor may see them. */
    const expectedProducts = (
      where = "true",
      bindings: unknown[] = [],
      { field = "TITLE", direction = "ASC" as Direction, anonymous = false } = {}
    ) =>
      idsOf(
        `select p.id from product p where p.deleted_at is null and (${where})
           ${anonymous ? "and p.status = 'published'" : ""}
         order by p.${COLUMN[field]} ${direction}, p.id ${direction}`,
        bindings
      )
    const expectedBrands = (where = "true", bindings: unknown[] = [], { field = "NAME", direction = "ASC" as Direction } = {}) =>
      idsOf(
        `select b.id from brand b where b.deleted_at is null and (${where})
         order by b.${COLUMN[field]} ${direction}, b.id ${direction}`,
        bindings
      )

    const fetchProducts = (headers: Headers, variables: Record<string, unknown>): Fetch => async (args) =>
      (await gqlData(api, PRODUCTS_PAGE, { ...variables, ...args }, headers)).products
    const fetchBrands = (variables: Record<string, unknown>): Fetch => async (args) =>
      (await gqlData(api, BRANDS_PAGE, { ...variables, ...args })).brands
    const fetchBrandProducts = (headers: Headers, id: string, variables: Record<string, unknown>): Fetch => async (args) =>
      (await gqlData(api, BRAND_PRODUCTS_PAGE, { id, ...variables, ...args }, headers)).brand.products

    beforeAll(async () => {
      const container = getContainer()
      await seedDemoData(container)
      await useStorefrontKey(api, container)
      const admin = await createAdmin(container, api)
      adminHeaders = admin.headers
      apiKeyHeaders = await createSecretApiKey(container, admin.userId)

      const handles = (await rows(`select id, name from brand where deleted_at is null`)) as { id: string; name: string }[]
      brandIds = DEMO_BRANDS.map((b) => handles.find((h) => h.name === b.name)!.id)

      // Titles with LIKE wildcards, and decoys that a wildcard would match; in
      // the webshop's channel, like the demo products, so storefronts see them.
      const [webshop] = await idsOf(`select id from sales_channel where name = 'Webshop' and deleted_at is null`)
      const create = async (title: string, brandId?: string) => {
        const { result } = await createProductsWorkflow(container).run({
          input: {
            products: [{ title, status: "published", options: OPTIONS, sales_channels: [{ id: webshop }] }],
            additional_data: brandId ? { brand_id: brandId } : undefined,
          },
        })
        extra[title] = result[0].id
        return result[0].id
      }
      await create("100% Cotton_Tee")
      await create("1000 Cotton Tee")
      await create("Half_Price 50% Mug", brandIds[0])
      deletedProductId = await create("Soon Gone Lamp", brandIds[0])
      await deleteProductsWorkflow(container).run({ input: { ids: [deletedProductId] } })

      const { result: brands } = await createBrandsWorkflow(container).run({
        input: { brands: [{ name: "50% Off_Club" }, { name: "Gone Brand" }] },
      })
      percentBrandId = brands[0].id
      deletedBrandId = brands[1].id
      await deleteBrandsWorkflow(container).run({ input: { ids: [deletedBrandId] } })

      // Give some rows a later updated_at, so UPDATED_AT orders differ from CREATED_AT ones.
      const toTouch = await idsOf(
        `select p.id from product p join product_product_brand_brand l on l.product_id = p.id
          where l.brand_id in (?, ?) and p.deleted_at is null order by p.title limit 6`,
        [brandIds[0], brandIds[7]]
      )
      await updateProductsWorkflow(container).run({
        input: { selector: { id: toTouch.slice(0, 3) }, update: { subtitle: "Touched" } },
      })
      await updateProductsWorkflow(container).run({
        input: { selector: { id: toTouch.slice(3) }, update: { subtitle: "Touched again" } },
      })
      await updateBrandWorkflow(container).run({ input: { id: brandIds[4], update: { description: "New" } } })
      await updateBrandWorkflow(container).run({ input: { id: brandIds[1], update: { description: "Newer" } } })
    })

    describe("paging", () => {
      it("pages brands forward and backward with every page size 1..7 in every order", async () => {
        const all = await expectedBrands()
        expect(all.length).toBe(11)
        // Read in one go, the list is the one the database orders.
        const whole = await fetchBrands({})({ first: 100 })
        expect(whole.nodes.map((n) => n.id)).toEqual(all)
        expect(whole.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: false })

        await Promise.all(
          ORDERS("NAME").map(async (orderBy) => {
            const expected = await expectedBrands("true", [], orderBy)
            const fetch = fetchBrands({ orderBy })
            const label = `brands ${orderBy.field} ${orderBy.direction}`
            expect((await fetch({ first: 100 })).nodes.map((n) => n.id)).toEqual(expected)
            for (let size = 1; size <= 7; size++) {
              await expectForwardPaging(fetch, expected, size, label)
              await expectBackwardPaging(fetch, expected, size, label)
            }
          })
        )
      })

      it("pages products (ties on timestamps included) with every page size 1..7 in every order", async () => {
        // One brand's products: made in one workflow run, so many share created_at (and updated_at).
        // (The test below pages through every product, across runs, with larger pages.)
        const acme = [brandIds[0]]
        const filter = { brandId: { eq: acme[0] } }
        const where = `${LINKED_TO}`
        const ties = await rows(
          `select count(*)::int as n from (select created_at from product p where p.deleted_at is null and ${where}
             group by created_at having count(*) > 1) t`,
          [acme]
        )
        expect(ties[0].n).toBeGreaterThan(0)

        await Promise.all(
          ORDERS("TITLE").map(async (orderBy) => {
            const expected = await expectedProducts(where, [acme], orderBy)
            expect(expected.length).toBe(21)
            const fetch = fetchProducts(adminHeaders, { filter, orderBy })
            const label = `products ${orderBy.field} ${orderBy.direction}`
            expect((await fetch({ first: 100 })).nodes.map((n) => n.id)).toEqual(expected)
            for (let size = 1; size <= 7; size++) {
              await expectForwardPaging(fetch, expected, size, label)
              await expectBackwardPaging(fetch, expected, size, label)
            }
          })
        )
      })

      it("pages products without a brand (planned apart) with every page size 1..7 in every order", async () => {
        await Promise.all(
          ORDERS("TITLE").map(async (orderBy) => {
            for (const anonymous of [false, true]) {
              const expected = await expectedProducts(`not ${LINKED}`, [], { ...orderBy, anonymous })
              // 8 demo products without a brand (one rejected), and two made above.
              expect(expected.length).toBe(anonymous ? 9 : 10)
              const fetch = fetchProducts(anonymous ? {} : adminHeaders, { filter: { hasBrand: false }, orderBy })
              const label = `unbranded products ${orderBy.field} ${orderBy.direction}${anonymous ? " anonymous" : ""}`
              const whole = await fetch({ first: 100 })
              expect(whole.nodes.map((n) => n.id)).toEqual(expected)
              for (let size = 1; size <= 7; size++) {
                await expectForwardPaging(fetch, expected, size, label)
                await expectBackwardPaging(fetch, expected, size, label)
              }
            }
          })
        )
      })

      it("pages through every product, for the admin and for anonymous callers, in every order", async () => {
        await Promise.all(
          ORDERS("TITLE").map(async (orderBy) => {
            for (const anonymous of [false, true]) {
              const expected = await expectedProducts("true", [], { ...orderBy, anonymous })
              expect(expected.length).toBe(anonymous ? 165 + 3 : 200 + 3)
              const fetch = fetchProducts(anonymous ? {} : adminHeaders, { orderBy })
              const label = `all products ${orderBy.field} ${orderBy.direction}${anonymous ? " anonymous" : ""}`
              await expectForwardPaging(fetch, expected, 7, label)
              await expectBackwardPaging(fetch, expected, 7, label)
              await expectForwardPaging(fetch, expected, 100, label)
              await expectBackwardPaging(fetch, expected, 100, label)
            }
          })
        )
      })

      it("pages Brand.products with every page size 1..7 in every order", async () => {
        const halcyon = brandIds[7]
        await Promise.all(
          ORDERS("TITLE").map(async (orderBy) => {
            for (const anonymous of [false, true]) {
              const expected = await expectedProducts(LINKED_TO, [[halcyon]], { ...orderBy, anonymous })
              expect(expected.length).toBe(anonymous ? 10 : 20)
              const fetch = fetchBrandProducts(anonymous ? {} : adminHeaders, halcyon, { orderBy })
              const label = `Brand.products ${orderBy.field} ${orderBy.direction}${anonymous ? " anonymous" : ""}`
              expect((await fetch({ first: 100 })).nodes.map((n) => n.id)).toEqual(expected)
              for (let size = anonymous ? 3 : 1; size <= 7; size += anonymous ? 4 : 1) {
                await expectForwardPaging(fetch, expected, size, label)
                await expectBackwardPaging(fetch, expected, size, label)
              }
            }
          })
        )
      })

      it("serves every brand's first products at once (one plan per page of brands)", async () => {
        for (const orderBy of ORDERS("TITLE")) {
          const data = await gqlData(
            api,
            // Page sizes as variables: the server's cost limit multiplies literal ones.
            `query ($orderBy: ProductOrder, $n: Int, $k: Int) { brands(first: $n) { nodes { id products(first: $k, orderBy: $orderBy) {
               ${CONNECTION} totalCount } } } }`,
            { orderBy, n: 100, k: 3 },
            adminHeaders
          )
          expect(data.brands.nodes).toHaveLength(11)
          for (const brand of data.brands.nodes) {
            const expected = await expectedProducts(LINKED_TO, [[brand.id]], orderBy)
            const page = brand.products as Page
            expectWellFormed(page, brand.id)
            expect({ brand: brand.id, ids: page.nodes.map((n) => n.id), info: page.pageInfo, total: page.totalCount }).toEqual({
              brand: brand.id,
              ids: expected.slice(0, 3),
              info: expect.objectContaining({ hasNextPage: expected.length > 3, hasPreviousPage: false }),
              total: expected.length,
            })
          }
        }
      })

      it("resumes after any edge's cursor, and answers empty pages", async () => {
        const expected = await expectedProducts()
        const fetch = fetchProducts(adminHeaders, {})
        const page = await fetch({ first: 10 })
        const middle = page.edges[4].cursor
        expect((await fetch({ first: 5, after: middle })).nodes.map((n) => n.id)).toEqual(expected.slice(5, 10))
        expect((await fetch({ last: 3, before: middle })).nodes.map((n) => n.id)).toEqual(expected.slice(1, 4))

        const empty = (await gqlData(api, `{ products(first: 0) { ${CONNECTION} totalCount } }`, {}, adminHeaders)).products
        expect(empty).toMatchObject({
          edges: [],
          nodes: [],
          totalCount: expected.length,
          pageInfo: { startCursor: null, endCursor: null, hasPreviousPage: false, hasNextPage: true },
        })
        const emptyLast = await fetch({ last: 0 })
        expect(emptyLast).toMatchObject({ edges: [], pageInfo: { startCursor: null, endCursor: null, hasPreviousPage: true } })

        // After the last product there is nothing more.
        const last = await fetch({ last: 1 })
        const after = await fetch({ first: 5, after: last.pageInfo.endCursor })
        expect(after).toMatchObject({ nodes: [], pageInfo: { hasNextPage: false, hasPreviousPage: true } })

        // A filter that matches nothing.
        const none = await gqlData(api, `{ products(filter: { id: { eq: "prod_none" } }) { ${CONNECTION} totalCount } }`)
        expect(none.products).toEqual({
          edges: [],
          nodes: [],
          totalCount: 0,
          pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
        })

        // Defaults: 20 per page.
        const defaults = await gqlData(api, `{ products { nodes { id } } brands { nodes { id } } }`, {}, adminHeaders)
        expect(defaults.products.nodes.map((n: any) => n.id)).toEqual(expected.slice(0, 20))
        expect(defaults.brands.nodes.map((n: any) => n.id)).toEqual(await expectedBrands())
      })
    })

    describe("filters", () => {
      it("applies every ProductFilter field, and totalCount counts the matches", async () => {
        const draft = (await rows(`select id, title, handle from product where status = 'draft' order by id limit 1`))[0]
        const published = (await rows(`select id, title, handle from product where status = 'published' and deleted_at is null order by id limit 2`))
        const [p1, p2] = published
        const [b0, b3, b7] = [brandIds[0], brandIds[3], brandIds[7]]

        const cases: { filter: Record<string, unknown>; where: string; bindings?: unknown[] }[] = [
          { filter: {}, where: "true" },
          { filter: { id: { eq: draft.id } }, where: "p.id = ?", bindings: [draft.id] },
          { filter: { id: { in: [draft.id, p1.id, deletedProductId] } }, where: "p.id = any(?)", bindings: [[draft.id, p1.id, deletedProductId]] },
          { filter: { id: { eq: p1.id, in: [p1.id, p2.id] } }, where: "p.id = ?", bindings: [p1.id] },
          { filter: { id: { eq: p1.id, in: [p2.id] } }, where: "false" },
          { filter: { title: { eq: p1.title } }, where: "p.title = ?", bindings: [p1.title] },
          { filter: { title: { eq: p1.title.toUpperCase() } }, where: "p.title = ?", bindings: [p1.title.toUpperCase()] },
          { filter: { title: { in: [p1.title, draft.title] } }, where: "p.title = any(?)", bindings: [[p1.title, draft.title]] },
          { filter: { title: { contains: "LAMP" } }, where: "strpos(lower(p.title), 'lamp') > 0" },
          { filter: { title: { contains: "%" } }, where: "strpos(p.title, '%') > 0" },
          { filter: { title: { contains: "_" } }, where: "strpos(p.title, '_') > 0" },
          { filter: { title: { contains: "0% C" } }, where: "strpos(p.title, '0% C') > 0" },
          { filter: { title: { contains: "N_t" } }, where: "strpos(lower(p.title), 'n_t') > 0" },
          { filter: { title: { contains: "\\" } }, where: "false" },
          { filter: { title: { contains: "cotton", eq: "1000 Cotton Tee" } }, where: "p.title = '1000 Cotton Tee'" },
          { filter: { handle: { eq: draft.handle } }, where: "p.handle = ?", bindings: [draft.handle] },
          { filter: { handle: { in: [draft.handle, p2.handle] } }, where: "p.handle = any(?)", bindings: [[draft.handle, p2.handle]] },
          { filter: { handle: { contains: "APRON" } }, where: "strpos(p.handle, 'apron') > 0" },
          { filter: { handle: { contains: "_" } }, where: "false" },
          { filter: { handle: { contains: "%" } }, where: "false" },
          { filter: { status: ["DRAFT"] }, where: "p.status = 'draft'" },
          { filter: { status: ["PROPOSED", "REJECTED"] }, where: "p.status in ('proposed', 'rejected')" },
          { filter: { status: ["PUBLISHED"] }, where: "p.status = 'published'" },
          { filter: { status: [] }, where: "false" },
          { filter: { brandId: { eq: b3 } }, where: LINKED_TO, bindings: [[b3]] },
          { filter: { brandId: { in: [b0, b7] } }, where: LINKED_TO, bindings: [[b0, b7]] },
          { filter: { brandId: { eq: "brand_none" } }, where: "false" },
          { filter: { brandId: { eq: deletedBrandId } }, where: "false" },
          { filter: { hasBrand: true }, where: LINKED },
          { filter: { hasBrand: false }, where: `not ${LINKED}` },
          { filter: { hasBrand: false, title: { contains: "cotton" } }, where: `not ${LINKED} and strpos(lower(p.title), 'cotton') > 0` },
          { filter: { hasBrand: true, brandId: { eq: b7 } }, where: LINKED_TO, bindings: [[b7]] },
          { filter: { hasBrand: false, brandId: { eq: b7 } }, where: "false" },
          { filter: { status: ["DRAFT", "PROPOSED"], brandId: { in: [b3, b7] } }, where: `p.status in ('draft', 'proposed') and ${LINKED_TO}`, bindings: [[b3, b7]] },
          { filter: { hasBrand: false, status: ["DRAFT"] }, where: `not ${LINKED} and p.status = 'draft'` },
        ]

        let nonEmpty = 0
        for (const anonymous of [false, true]) {
          for (const { filter, where, bindings } of cases) {
            const expected = await expectedProducts(where, bindings, { anonymous })
            const res = await gqlData(
              api,
              `query ($filter: ProductFilter) { products(first: 100, filter: $filter) { totalCount nodes { id } } }`,
              { filter },
              anonymous ? {} : adminHeaders
            )
            expect({ filter, anonymous, ids: res.products.nodes.map((n: any) => n.id), totalCount: res.products.totalCount }).toEqual({
              filter,
              anonymous,
              ids: expected.slice(0, 100),
              totalCount: expected.length,
            })
            // The count also holds on a later page (it is read apart from the page then).
            if (expected.length > 3) {
              const q = `query ($filter: ProductFilter, $after: String) {
                products(first: 2, after: $after, filter: $filter) { totalCount nodes { id } pageInfo { endCursor } } }`
              const first = await gqlData(api, q, { filter }, anonymous ? {} : adminHeaders)
              const next = await gqlData(api, q, { filter, after: first.products.pageInfo.endCursor }, anonymous ? {} : adminHeaders)
              expect({ filter, total: next.products.totalCount, ids: next.products.nodes.map((n: any) => n.id) }).toEqual({
                filter,
                total: expected.length,
                ids: expected.slice(2, 4),
              })
            }
            if (expected.length) nonEmpty++
          }
        }
        // The cases are not vacuous.
        expect(nonEmpty).toBeGreaterThan(40)
        expect(await expectedProducts("strpos(p.title, '%') > 0")).toEqual(
          [extra["100% Cotton_Tee"], extra["Half_Price 50% Mug"]]
        )
        expect(await expectedProducts("strpos(p.title, '0% C') > 0")).toEqual([extra["100% Cotton_Tee"]])
      })

      it("applies ProductFilter within Brand.products, totalCount included", async () => {
        const acme = brandIds[0]
        const halcyon = brandIds[7]
        const some = await expectedProducts(LINKED_TO, [[halcyon]])
        const mugHandle = (await rows(`select handle from product where id = ?`, [extra["Half_Price 50% Mug"]]))[0].handle
        const cases: { filter: Record<string, unknown>; where: string; bindings?: unknown[] }[] = [
          { filter: {}, where: "true" },
          { filter: { title: { contains: "%" } }, where: "strpos(p.title, '%') > 0" },
          { filter: { title: { contains: "_" } }, where: "strpos(p.title, '_') > 0" },
          { filter: { title: { contains: "classic" } }, where: "strpos(lower(p.title), 'classic') > 0" },
          { filter: { title: { eq: "Half_Price 50% Mug" } }, where: "p.title = 'Half_Price 50% Mug'" },
          { filter: { handle: { in: [mugHandle, "nope"] } }, where: "p.handle = ?", bindings: [mugHandle] },
          { filter: { handle: { contains: "_" } }, where: "false" },
          { filter: { status: ["PROPOSED"] }, where: "p.status = 'proposed'" },
          { filter: { id: { in: some.slice(0, 5) } }, where: "p.id = any(?)", bindings: [some.slice(0, 5)] },
          { filter: { id: { eq: some[0] } }, where: "p.id = ?", bindings: [some[0]] },
          { filter: { hasBrand: true }, where: "true" },
          { filter: { hasBrand: false }, where: "false" },
          { filter: { brandId: { eq: halcyon } }, where: "l2.brand_id = ?", bindings: [halcyon] },
          { filter: { brandId: { in: [acme] } }, where: "l2.brand_id = ?", bindings: [acme] },
        ]
        for (const anonymous of [false, true]) {
          for (const { filter, where, bindings = [] } of cases) {
            const res = await gqlData(
              api,
              `query ($filter: ProductFilter, $a: ID!, $h: ID!) {
                 a: brand(id: $a) { products(first: 100, filter: $filter) { totalCount nodes { id } } }
                 h: brand(id: $h) { products(first: 100, filter: $filter) { totalCount nodes { id } } }
               }`,
              { filter, a: acme, h: halcyon },
              anonymous ? {} : adminHeaders
            )
            for (const [alias, brandId] of [["a", acme], ["h", halcyon]] as const) {
              const expected = await idsOf(
                `select p.id from product p join product_product_brand_brand l2 on l2.product_id = p.id and l2.deleted_at is null
                  where p.deleted_at is null and l2.brand_id = ? and (${where}) ${anonymous ? "and p.status = 'published'" : ""}
                  order by p.title, p.id`,
                [brandId, ...bindings]
              )
              const got = res[alias].products
              expect({ filter, anonymous, alias, ids: got.nodes.map((n: any) => n.id), totalCount: got.totalCount }).toEqual({
                filter,
                anonymous,
                alias,
                ids: expected,
                totalCount: expected.length,
              })
            }
          }
        }
      })

      it("applies every BrandFilter field, and totalCount counts the matches", async () => {
        const cases: { filter: Record<string, unknown>; where: string; bindings?: unknown[] }[] = [
          { filter: {}, where: "true" },
          { filter: { id: { eq: brandIds[2] } }, where: "b.id = ?", bindings: [brandIds[2]] },
          { filter: { id: { in: [brandIds[2], brandIds[5], deletedBrandId] } }, where: "b.id = any(?)", bindings: [[brandIds[2], brandIds[5]]] },
          { filter: { id: { eq: brandIds[2], in: [brandIds[5]] } }, where: "false" },
          { filter: { name: { eq: "Borealis" } }, where: "b.name = 'Borealis'" },
          { filter: { name: { eq: "borealis" } }, where: "false" },
          { filter: { name: { in: ["Borealis", "Halcyon", "Gone Brand"] } }, where: "b.name in ('Borealis', 'Halcyon')" },
          { filter: { name: { contains: "CO" } }, where: "strpos(lower(b.name), 'co') > 0" },
          { filter: { name: { contains: "%" } }, where: "b.id = ?", bindings: [percentBrandId] },
          { filter: { name: { contains: "_" } }, where: "b.id = ?", bindings: [percentBrandId] },
          { filter: { name: { contains: "f_c" } }, where: "b.id = ?", bindings: [percentBrandId] },
          { filter: { name: { contains: "& co" } }, where: "b.name = 'Cobalt & Co.'" },
          { filter: { handle: { eq: "cobalt-co" } }, where: "b.handle = 'cobalt-co'" },
          { filter: { handle: { in: ["cobalt-co", "fjord-audio", "gone-brand"] } }, where: "b.handle in ('cobalt-co', 'fjord-audio')" },
          { filter: { handle: { contains: "-" } }, where: "strpos(b.handle, '-') > 0" },
          { filter: { handle: { contains: "AUDIO" } }, where: "b.handle = 'fjord-audio'" },
          { filter: { handle: { contains: "_" } }, where: "false" },
          { filter: { name: { contains: "o" }, handle: { contains: "-" } }, where: "strpos(lower(b.name), 'o') > 0 and strpos(b.handle, '-') > 0" },
        ]
        let nonEmpty = 0
        for (const { filter, where, bindings } of cases) {
          const expected = await expectedBrands(where, bindings)
          const res = await gqlData(
            api,
            `query ($filter: BrandFilter) { brands(first: 100, filter: $filter) { totalCount nodes { id } } }`,
            { filter }
          )
          expect({ filter, ids: res.brands.nodes.map((n: any) => n.id), totalCount: res.brands.totalCount }).toEqual({
            filter,
            ids: expected,
            totalCount: expected.length,
          })
          if (expected.length > 2) {
            const q = `query ($filter: BrandFilter, $after: String) {
              brands(first: 1, after: $after, filter: $filter) { totalCount pageInfo { endCursor } } }`
            const first = await gqlData(api, q, { filter })
            const next = await gqlData(api, q, { filter, after: first.brands.pageInfo.endCursor })
            expect({ filter, total: next.brands.totalCount }).toEqual({ filter, total: expected.length })
          }
          if (expected.length) nonEmpty++
        }
        expect(nonEmpty).toBeGreaterThan(12)
      })
    })

    describe("errors and lookups", () => {
      const expectBadUserInput = async (query: string, variables: Record<string, unknown>, label: string) => {
        const res = await gql(api, query, variables, adminHeaders)
        expect({ label, status: res.status, code: errorCode(res) }).toEqual({ label, status: 200, code: "BAD_USER_INPUT" })
        expect(res.errors![0].message).toEqual(expect.any(String))
      }

      it("rejects first/last outside 0..100 with BAD_USER_INPUT, and accepts 0 and 100", async () => {
        const brandId = brandIds[7]
        const queries: [string, string, Record<string, unknown>][] = [
          ["products", PRODUCTS_PAGE, {}],
          ["brands", BRANDS_PAGE, {}],
          ["Brand.products", BRAND_PRODUCTS_PAGE, { id: brandId }],
        ]
        for (const [name, query, vars] of queries) {
          for (const args of [{ first: -1 }, { first: 101 }, { last: -1 }, { last: 101 }, { first: 1000000 }, { first: 2, last: 2 }]) {
            await expectBadUserInput(query, { ...vars, ...args }, `${name} ${JSON.stringify(args)}`)
          }
          for (const args of [{ first: 0 }, { first: 100 }, { last: 0 }, { last: 100 }]) {
            const res = await gql(api, query, { ...vars, ...args }, adminHeaders)
            expect({ name, args, errors: res.errors }).toEqual({ name, args, errors: undefined })
          }
        }
        // Literal arguments go the same way.
        const res = await gql(api, `{ products(first: 101) { nodes { id } } }`)
        expect(errorCode(res)).toBe("BAD_USER_INPUT")
        expect(res.data).toBeNull()
      })

      it("rejects malformed cursors and cursors of another list or order with BAD_USER_INPUT", async () => {
        const products = await gqlData(api, `{ products(first: 1) { pageInfo { endCursor } } }`)
        const byDate = await gqlData(api, `{ products(first: 1, orderBy: {field: CREATED_AT}) { pageInfo { endCursor } } }`)
        const byUpdate = await gqlData(api, `{ products(first: 1, orderBy: {field: UPDATED_AT, direction: DESC}) { pageInfo { endCursor } } }`)
        const brands = await gqlData(api, `{ brands(first: 1) { pageInfo { endCursor } } }`)
        const brandsByDate = await gqlData(api, `{ brands(first: 1, orderBy: {field: CREATED_AT}) { pageInfo { endCursor } } }`)
        const titleCursor = products.products.pageInfo.endCursor
        const dateCursor = byDate.products.pageInfo.endCursor
        const updateCursor = byUpdate.products.pageInfo.endCursor
        const nameCursor = brands.brands.pageInfo.endCursor
        const brandDateCursor = brandsByDate.brands.pageInfo.endCursor

        const malformed = [
          "not a cursor",
          "",
          "e30",
          Buffer.from("garbage").toString("base64url"),
          craftCursor(["v2", "Product", "TITLE", "a", "prod_1"]),
          craftCursor(["v1", "Product", "TITLE", "a"]),
          craftCursor(["v1", "Product", "TITLE", 5, "prod_1"]),
          craftCursor(["v1", "Product", "TITLE", "a", null]),
          craftCursor({ type: "Product" }),
          craftCursor(["v1", "Product", "TITLE", "a\u0000b", "prod_1"]),
          craftCursor(["v1", "Product", "TITLE", "a", "prod_\u0000"]),
          titleCursor.slice(0, -6),
        ]
        const malformedDate = [
          craftCursor(["v1", "Product", "CREATED_AT", "yesterday", "prod_1"]),
          craftCursor(["v1", "Product", "CREATED_AT", "-271821-04-20T00:00:00.000Z", "prod_1"]),
          craftCursor(["v1", "Product", "CREATED_AT", "+275760-09-13T00:00:00.000Z", "prod_1"]),
        ]
        for (const side of ["after", "before"] as const) {
          const page = side === "after" ? { first: 2 } : { last: 2 }
          for (const cursor of malformed) {
            await expectBadUserInput(PRODUCTS_PAGE, { ...page, [side]: cursor }, `products ${side} ${cursor}`)
            await expectBadUserInput(BRAND_PRODUCTS_PAGE, { id: brandIds[7], ...page, [side]: cursor }, `Brand.products ${side} ${cursor}`)
          }
          for (const cursor of malformedDate) {
            const orderBy = { field: "CREATED_AT" }
            await expectBadUserInput(PRODUCTS_PAGE, { ...page, orderBy, [side]: cursor }, `products ${side} ${cursor}`)
            await expectBadUserInput(BRAND_PRODUCTS_PAGE, { id: brandIds[7], ...page, orderBy, [side]: cursor }, `Brand.products ${side} ${cursor}`)
          }
          await expectBadUserInput(BRANDS_PAGE, { ...page, [side]: "nope" }, `brands ${side} malformed`)
          // Another connection's cursor.
          await expectBadUserInput(PRODUCTS_PAGE, { ...page, [side]: nameCursor }, `brand cursor to products ${side}`)
          await expectBadUserInput(BRAND_PRODUCTS_PAGE, { id: brandIds[7], ...page, [side]: nameCursor }, `brand cursor to Brand.products ${side}`)
          await expectBadUserInput(BRANDS_PAGE, { ...page, [side]: titleCursor }, `product cursor to brands ${side}`)
          await expectBadUserInput(BRANDS_PAGE, { ...page, orderBy: { field: "CREATED_AT" }, [side]: dateCursor }, `product date cursor to brands ${side}`)
          // Another order's cursor.
          await expectBadUserInput(PRODUCTS_PAGE, { ...page, orderBy: { field: "CREATED_AT" }, [side]: titleCursor }, `TITLE cursor with CREATED_AT ${side}`)
          await expectBadUserInput(PRODUCTS_PAGE, { ...page, [side]: dateCursor }, `CREATED_AT cursor with TITLE ${side}`)
          await expectBadUserInput(PRODUCTS_PAGE, { ...page, orderBy: { field: "CREATED_AT" }, [side]: updateCursor }, `UPDATED_AT cursor with CREATED_AT ${side}`)
          await expectBadUserInput(BRAND_PRODUCTS_PAGE, { id: brandIds[7], ...page, orderBy: { field: "UPDATED_AT" }, [side]: dateCursor }, `CREATED_AT cursor in Brand.products by UPDATED_AT ${side}`)
          await expectBadUserInput(BRANDS_PAGE, { ...page, [side]: brandDateCursor }, `brand CREATED_AT cursor with NAME ${side}`)
          await expectBadUserInput(BRANDS_PAGE, { ...page, orderBy: { field: "UPDATED_AT" }, [side]: brandDateCursor }, `brand CREATED_AT cursor with UPDATED_AT ${side}`)
        }

        // The good cursors do work where they belong.
        for (const [query, vars] of [
          [PRODUCTS_PAGE, { after: titleCursor }],
          [PRODUCTS_PAGE, { after: dateCursor, orderBy: { field: "CREATED_AT" } }],
          [BRANDS_PAGE, { after: nameCursor }],
          [BRANDS_PAGE, { after: brandDateCursor, orderBy: { field: "CREATED_AT" } }],
        ] as const) {
          const res = await gql(api, query, { first: 2, ...vars })
          expect(res.errors).toBeUndefined()
        }

        // Filter strings with a NUL character (which no stored text can hold) are bad input, not server errors.
        for (const filter of [
          { title: { eq: "a\u0000" } },
          { title: { contains: "\u0000" } },
          { handle: { in: ["ok", "b\u0000"] } },
          { id: { eq: "prod_\u0000" } },
          { brandId: { in: ["brand_\u0000"] } },
        ]) {
          await expectBadUserInput(PRODUCTS_PAGE, { filter }, `products filter ${JSON.stringify(filter)}`)
          await expectBadUserInput(BRAND_PRODUCTS_PAGE, { id: brandIds[7], filter }, `Brand.products filter ${JSON.stringify(filter)}`)
        }
        for (const filter of [{ name: { contains: "\u0000" } }, { id: { in: ["brand_\u0000"] } }, { handle: { eq: "\u0000" } }]) {
          await expectBadUserInput(BRANDS_PAGE, { filter }, `brands filter ${JSON.stringify(filter)}`)
        }

        // An error in a nested connection names its path.
        const nested = await gql(api, `query ($c: String) { brands(first: 2) { nodes { id products(after: $c) { nodes { id } } } } }`, { c: "bad" })
        expect(errorCode(nested)).toBe("BAD_USER_INPUT")
        expect(nested.errors![0].path).toEqual(["brands", "nodes", 0, "products"])
      })

      it("resolves node and nodes by id prefix; unknown or malformed ids give null", async () => {
        const product = (await rows(`select id, title from product where status = 'published' and deleted_at is null order by id limit 1`))[0]
        const brand = (await rows(`select id, name from brand where id = ?`, [brandIds[2]]))[0]
        const query = `query ($id: ID!) { node(id: $id) { __typename id ... on Product { title } ... on Brand { name } } }`

        expect((await gqlData(api, query, { id: product.id })).node).toEqual({ __typename: "Product", id: product.id, title: product.title })
        expect((await gqlData(api, query, { id: brand.id })).node).toEqual({ __typename: "Brand", id: brand.id, name: brand.name })

        const unknown = [
          "prod_01ZZZZZZZZZZZZZZZZZZZZZZZZ",
          "brand_01ZZZZZZZZZZZZZZZZZZZZZZZZ",
          "prod_",
          "brand_",
          "prod",
          "",
          "nonsense",
          "variant_01ZZZZZZZZZZZZZZZZZZZZZZZZ",
          "order_123",
          "prod_%",
          "brand_'; drop table brand; --",
          deletedProductId,
          deletedBrandId,
          "prod_\u0000",
          `${product.id}\u0000`,
          "brand_a\u0000b",
          brand.id.replace("brand_", "prod_"),
          product.id.replace("prod_", "brand_"),
        ]
        for (const id of unknown) {
          const res = await gql(api, query, { id }, adminHeaders)
          // Data and errors only: extensions carry the rate limit's cost.
          expect({ id, data: res.body.data, errors: res.body.errors }).toEqual({ id, data: { node: null }, errors: undefined })
        }

        const ids = [brand.id, "nonsense", product.id, deletedProductId, product.id, "brand_x\u0000", brandIds[5]]
        const res = await gql(
          api,
          `query ($ids: [ID!]!) { nodes(ids: $ids) { __typename id ... on Brand { handle } ... on Product { title brand { id } } } }`,
          { ids },
          adminHeaders
        )
        expect(res.errors).toBeUndefined()
        const productBrand = (await rows(`select brand_id from product_product_brand_brand where product_id = ? and deleted_at is null`, [product.id]))[0]
        const expectedProduct = { __typename: "Product", id: product.id, title: product.title, brand: productBrand ? { id: productBrand.brand_id } : null }
        expect(res.data!.nodes).toEqual([
          { __typename: "Brand", id: brand.id, handle: "cobalt-co" },
          null,
          expectedProduct,
          null,
          expectedProduct,
          null,
          { __typename: "Brand", id: brandIds[5], handle: "fjord-audio" },
        ])
        expect((await gqlData(api, `{ nodes(ids: []) { id } }`)).nodes).toEqual([])
      })

      it("finds a product and a brand by handle or id", async () => {
        const product = (await rows(`select id, handle, title from product where status = 'published' and deleted_at is null order by id limit 1`))[0]
        const q = `query ($id: ID, $handle: String) {
          product(id: $id, handle: $handle) { id handle title status createdAt updatedAt brand { id handle } }
        }`
        const byHandle = (await gqlData(api, q, { handle: product.handle })).product
        expect(byHandle).toMatchObject({ id: product.id, handle: product.handle, title: product.title, status: "PUBLISHED" })
        expect(new Date(byHandle.createdAt).toString()).not.toBe("Invalid Date")
        expect((await gqlData(api, q, { id: product.id })).product).toEqual(byHandle)
        expect((await gqlData(api, q, { id: product.id, handle: product.handle })).product).toEqual(byHandle)
        expect((await gqlData(api, q, { id: product.id, handle: "other" })).product).toBeNull()
        expect((await gqlData(api, q, { handle: "no-such-handle" })).product).toBeNull()
        expect((await gqlData(api, q, { handle: "soon-gone-lamp" }, adminHeaders)).product).toBeNull()
        expect(errorCode(await gql(api, `{ product { id } }`))).toBe("BAD_USER_INPUT")
        // PostgreSQL text cannot hold NUL: no record has such an id or handle.
        for (const vars of [{ id: "prod_\u0000" }, { handle: "a\u0000" }, { id: product.id, handle: "\u0000" }]) {
          const res = await gql(api, q, vars)
          expect({ vars, data: res.body.data, errors: res.body.errors }).toEqual({ vars, data: { product: null }, errors: undefined })
        }

        const b = `query ($id: ID, $handle: String) { brand(id: $id, handle: $handle) { id name handle description metadata createdAt updatedAt } }`
        const brand = (await gqlData(api, b, { handle: "fjord-audio" })).brand
        expect(brand).toMatchObject({ id: brandIds[5], name: "Fjord Audio", handle: "fjord-audio", description: "Headphones and speakers." })
        expect((await gqlData(api, b, { id: brandIds[5] })).brand).toEqual(brand)
        expect((await gqlData(api, b, { handle: "gone-brand" })).brand).toBeNull()
        expect((await gqlData(api, b, { id: deletedBrandId })).brand).toBeNull()
        expect((await gqlData(api, b, { handle: "FJORD-AUDIO" })).brand).toBeNull()
        expect(errorCode(await gql(api, `{ brand { id } }`))).toBe("BAD_USER_INPUT")
        for (const vars of [{ id: "brand_\u0000" }, { handle: "fjord\u0000audio" }]) {
          const res = await gql(api, b, vars)
          expect({ vars, data: res.body.data, errors: res.body.errors }).toEqual({ vars, data: { brand: null }, errors: undefined })
        }
      })
    })

    describe("selection", () => {
      it("plans Brand.products apart where one fragment's field is merged with different siblings", async () => {
        // The fragment's products field alone in `plain`, merged with a second
        // products field (which asks for handles) in `more`.
        const query = `{
          plain: brands(first: 3) { nodes { id ...First } }
          more: brands(first: 3) { nodes { id ...First products(first: 3) { nodes { handle } } } }
        }
        fragment First on Brand { products(first: 3) { nodes { id } } }`
        const expected = async (brandId: string) =>
          rows(
            `select p.id, p.handle from product p join product_product_brand_brand l on l.product_id = p.id and l.deleted_at is null
              where l.brand_id = ? and p.deleted_at is null and p.status = 'published' order by p.title, p.id limit 3`,
            [brandId]
          )
        // Twice: the second run is served from the read cache, in the order the fields were asked.
        for (let run = 0; run < 2; run++) {
          const data = await gqlData(api, query)
          for (const brand of data.plain.nodes) {
            expect(brand.products.nodes).toEqual((await expected(brand.id)).map((p: any) => ({ id: p.id })))
          }
          for (const brand of data.more.nodes) expect(brand.products.nodes).toEqual(await expected(brand.id))
        }
      })

      it("loads the fields that fragments, aliases and @skip/@include select", async () => {
        const brandId = brandIds[7]
        const expected = await rows(
          `select p.id, p.title, p.handle from product p join product_product_brand_brand l on l.product_id = p.id
            and l.deleted_at is null where l.brand_id = ? and p.deleted_at is null order by p.title, p.id`,
          [brandId]
        )
        const query = `query ($id: ID!, $withBrand: Boolean!, $skipTitle: Boolean!) {
          products(first: 3, filter: { brandId: { eq: $id } }) {
            a: nodes { id }
            b: edges { node { ...P } }
            ... on ProductConnection { totalCount }
          }
          node(id: $id) { __typename ...B }
        }
        fragment P on Product {
          title @skip(if: $skipTitle)
          handle
          brand @include(if: $withBrand) { ... on Brand { name } }
        }
        fragment B on Brand { label: name products(first: 2) { edges { node { id ... on Product { title } } } } }`

        for (const [withBrand, skipTitle] of [[true, false], [false, true]]) {
          const data = await gqlData(api, query, { id: brandId, withBrand, skipTitle }, adminHeaders)
          expect(data.products.totalCount).toBe(expected.length)
          expect(data.products.a).toEqual(expected.slice(0, 3).map((p: any) => ({ id: p.id })))
          expect(data.products.b).toEqual(
            expected.slice(0, 3).map((p: any) => ({
              node: {
                ...(skipTitle ? {} : { title: p.title }),
                handle: p.handle,
                ...(withBrand ? { brand: { name: "Halcyon" } } : {}),
              },
            }))
          )
          expect(data.node).toEqual({
            __typename: "Brand",
            label: "Halcyon",
            products: { edges: expected.slice(0, 2).map((p: any) => ({ node: { id: p.id, title: p.title } })) },
          })
        }

        // Through Product.brand back to Brand.products, and in a mutation-free payload of nodes.
        const deep = await gqlData(
          api,
          `query ($ids: [ID!]!) { nodes(ids: $ids) { ... on Product { brand { name products(first: 1) { nodes { title } totalCount } } } } }`,
          { ids: [expected[0].id] },
          adminHeaders
        )
        expect(deep.nodes).toEqual([{ brand: { name: "Halcyon", products: { nodes: [{ title: expected[0].title }], totalCount: 20 } } }])
      })
    })

    describe("visibility", () => {
      it("treats a Medusa session cookie as the admin it belongs to", async () => {
        const draft = (await rows(`select id from product where status = 'draft' and deleted_at is null limit 1`))[0]
        const query = `query ($id: ID!) { product(id: $id) { id status } }`
        // Medusa's session flow: a bearer token is exchanged for a session cookie.
        const session = await api.post("/auth/session", {}, { headers: adminHeaders })
        const cookie = (session.headers["set-cookie"] as string[]).map((c) => c.split(";")[0]).join("; ")
        expect(cookie).toMatch(/connect\.sid=/)

        const withCookie = await gqlData(api, query, { id: draft.id }, { cookie })
        expect(withCookie.product).toEqual({ id: draft.id, status: "DRAFT" })
        const anonymous = await gqlData(api, query, { id: draft.id })
        expect(anonymous.product).toBeNull()
      })

      it("shows anonymous callers published products only, everywhere", async () => {
        const drafts = await rows(`select id, handle from product where status <> 'published' and deleted_at is null order by id`)
        expect(drafts).toHaveLength(35)
        const draft = drafts[0]
        const published = (await rows(`select id, handle from product where status = 'published' and deleted_at is null order by id limit 1`))[0]
        const publishedCount = (await rows(`select count(*)::int as n from product where status = 'published' and deleted_at is null`))[0].n
        const allCount = (await rows(`select count(*)::int as n from product where deleted_at is null`))[0].n

        const query = `query ($id: ID!, $handle: String!, $ids: [ID!]!, $brand: ID!, $n: Int) {
          products(first: $n) { totalCount nodes { id status } }
          drafts: products(filter: { status: [DRAFT, PROPOSED, REJECTED] }) { totalCount nodes { id } }
          byId: product(id: $id) { id status }
          byHandle: product(handle: $handle) { id }
          node(id: $id) { id }
          nodes(ids: $ids) { id }
          brand(id: $brand) { products(first: $n) { totalCount nodes { id status } } }
          brands(first: $n) { nodes { id products(first: $n) { totalCount nodes { status } } } }
        }`
        const vars = { id: draft.id, handle: draft.handle, ids: [draft.id, published.id], brand: brandIds[7], n: 100 }
        const halcyonPublished = await expectedProducts(LINKED_TO, [[brandIds[7]]], { anonymous: true })
        const halcyonAll = await expectedProducts(LINKED_TO, [[brandIds[7]]])

        const anonymous = await gqlData(api, query, vars)
        expect(anonymous.products.totalCount).toBe(publishedCount)
        expect(new Set(anonymous.products.nodes.map((n: any) => n.status))).toEqual(new Set(["PUBLISHED"]))
        expect(anonymous.drafts).toEqual({ totalCount: 0, nodes: [] })
        expect(anonymous.byId).toBeNull()
        expect(anonymous.byHandle).toBeNull()
        expect(anonymous.node).toBeNull()
        expect(anonymous.nodes).toEqual([null, { id: published.id }])
        expect(anonymous.brand.products.totalCount).toBe(halcyonPublished.length)
        expect(anonymous.brand.products.nodes.map((n: any) => n.id)).toEqual(halcyonPublished)
        for (const b of anonymous.brands.nodes) {
          expect(b.products.nodes.every((n: any) => n.status === "PUBLISHED")).toBe(true)
          const expected = await expectedProducts(LINKED_TO, [[b.id]], { anonymous: true })
          expect({ brand: b.id, total: b.products.totalCount }).toEqual({ brand: b.id, total: expected.length })
        }
        // Driftwood's products are all drafts.
        expect(anonymous.brands.nodes.find((b: any) => b.id === brandIds[3]).products).toEqual({ totalCount: 0, nodes: [] })

        // Credentials that do not check out are refused, not read as anonymous.
        for (const authorization of ["Bearer not-a-token", `Basic ${Buffer.from("sk_unknown:").toString("base64")}`]) {
          const bad = await gql(api, query, vars, { authorization })
          expect({ status: bad.status, code: errorCode(bad), data: bad.data ?? null }).toEqual({
            status: 401,
            code: "UNAUTHENTICATED",
            data: null,
          })
        }

        for (const [who, headers] of [["bearer", adminHeaders], ["api key", apiKeyHeaders]] as const) {
          const admin = await gqlData(api, query, vars, headers)
          expect({ who, total: admin.products.totalCount }).toEqual({ who, total: allCount })
          expect({ who, drafts: admin.drafts.totalCount }).toEqual({ who, drafts: 35 })
          expect(new Set(admin.products.nodes.map((n: any) => n.status)).size).toBeGreaterThan(1)
          expect(admin.byId).toEqual({ id: draft.id, status: expect.stringMatching(/DRAFT|PROPOSED|REJECTED/) })
          expect(admin.byHandle).toEqual({ id: draft.id })
          expect(admin.node).toEqual({ id: draft.id })
          expect(admin.nodes).toEqual([{ id: draft.id }, { id: published.id }])
          expect(admin.brand.products.totalCount).toBe(halcyonAll.length)
          expect(admin.brand.products.nodes.map((n: any) => n.id)).toEqual(halcyonAll)
          expect(admin.brands.nodes.find((b: any) => b.id === brandIds[3]).products.totalCount).toBe(20)
        }
      })
    })

    describe("statement count", () => {
      /**
       * Statements of one request (after a warm-up run of the same request, so
       * that connections are open); by default an admin's, past the read cache.
       */
      const statementsOf = async (query: string, headers: Headers = { ...adminHeaders, "cache-control": "no-cache" }) => {
        await gqlData(api, query, {}, headers)
        const { result, statements } = await countStatements(() => gql(api, query, {}, headers))
        expect(result.errors).toBeUndefined()
        return statements
      }

      it("does not grow with the page size, and counts only when totalCount is asked for", async () => {
        const products = (n: number, extra = "") => `{ products(first: ${n}) { ${extra} nodes { id title brand { id name } } } }`
        const brands = (n: number, count = true) =>
          `{ brands(first: ${n}) { nodes { id name products(first: 5) { nodes { id title } ${count ? "totalCount" : ""} } } } }`

        const p5 = await statementsOf(products(5))
        const p100 = await statementsOf(products(100))
        const p5count = await statementsOf(products(5, "totalCount"))
        const p100count = await statementsOf(products(100, "totalCount"))
        const b2 = await statementsOf(brands(2))
        const b10 = await statementsOf(brands(10))
        const b10noCount = await statementsOf(brands(10, false))
        const unbranded = (n: number) => `{ products(first: ${n}, filter: { hasBrand: false }) { totalCount nodes { id title brand { id } } } }`
        const u2 = await statementsOf(unbranded(2))
        const u10 = await statementsOf(unbranded(10))
        // From the read cache: Query's calls and the planned statements over
        // the link table are answered from it.
        const p100cached = await statementsOf(products(100, "totalCount"), {})
        const b10cached = await statementsOf(brands(10), {})

        console.log(
          [
            `statements: products first 5 = ${p5.length}`,
            `statements: products first 100 = ${p100.length}`,
            `statements: products first 5 with totalCount = ${p5count.length}`,
            `statements: products first 100 with totalCount = ${p100count.length}`,
            `statements: brands first 2 with products(first: 5) + totalCount = ${b2.length}`,
            `statements: brands first 10 with products(first: 5) + totalCount = ${b10.length}`,
            `statements: brands first 10 with products(first: 5), no totalCount = ${b10noCount.length}`,
            `statements: products without a brand, first 2 / first 10, with totalCount = ${u2.length} / ${u10.length}`,
            `statements, cached: products first 100 with totalCount = ${p100cached.length}`,
            `statements, cached: brands first 10 with products(first: 5) + totalCount = ${b10cached.length}`,
          ].join("\n")
        )

        expect(p100.length).toBe(p5.length)
        expect(p100count.length).toBe(p5count.length)
        expect(b10.length).toBe(b2.length)
        expect(p5.length).toBeLessThan(p5count.length)
        expect(b10noCount.length).toBeLessThan(b10.length)
        // products + link + brand; Brand.products is one plan for the whole page.
        expect(p5.length).toBeLessThanOrEqual(3)
        expect(b10.length).toBeLessThanOrEqual(5)
        expect(u10.length).toBe(u2.length)
        // The page's ids and the count (NOT EXISTS over the link table), then
        // Query for the page alone: never the ids of every product without a brand.
        expect(u2.length).toBeLessThanOrEqual(4)
        expect(u2.filter((sql) => /not exists/i.test(sql) && /limit \$\d+/i.test(sql))).toHaveLength(1)
        expect(p100cached).toEqual([])
        expect(b10cached).toEqual([])
      })
    })

    describe("HTTP", () => {
      it("answers queries over GET and refuses mutations over GET with 405", async () => {
        const query = `query ($h: String) { brand(handle: $h) { id name } }`
        // A GET carries a header a cross-site page cannot set (CSRF prevention).
        const get = await api.get("/graphql", {
          params: { query, variables: JSON.stringify({ h: "halcyon" }) },
          headers: { "x-graphql-csrf": "1" },
          validateStatus: () => true,
        })
        expect(get.status).toBe(200)
        expect({ data: get.data.data, errors: get.data.errors }).toEqual({ data: { brand: { id: brandIds[7], name: "Halcyon" } }, errors: undefined })

        const before = (await rows(`select * from brand order by id`))
        for (const mutation of [
          `mutation { brandCreate(input: { name: "Via GET" }) { brand { id } userErrors { code } } }`,
          `mutation { brandDelete(id: "${brandIds[0]}") { deletedBrandId } }`,
        ]) {
          const res = await api.get("/graphql", { params: { query: mutation }, headers: adminHeaders, validateStatus: () => true })
          expect(res.status).toBe(405)
          expect(res.headers.allow).toContain("POST")
          expect(res.data.data).toBeUndefined()
        }
        expect(await rows(`select * from brand order by id`)).toEqual(before)
      })

      it("lets only the configured browser origins call it", async () => {
        const preflight = (origin: string) =>
          api.request({
            method: "OPTIONS",
            url: "/graphql",
            headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "content-type, authorization" },
            validateStatus: () => true,
          })
        const allowed = await preflight("http://localhost:8000")
        expect(allowed.headers["access-control-allow-origin"]).toBe("http://localhost:8000")
        expect(allowed.headers["access-control-allow-credentials"]).toBe("true")

        // Neither an unlisted origin nor an opaque one (sandboxed frame, file) gets
        // any CORS answer: no `null` origin, and no credentials.
        for (const origin of ["https://evil.example", "null"]) {
          const foreign = await preflight(origin)
          expect(foreign.status).toBe(204)
          expect(foreign.headers["access-control-allow-origin"]).toBeUndefined()
          expect(foreign.headers["access-control-allow-credentials"]).toBeUndefined()
          const post = await api.post("/graphql", { query: "{ __typename }" }, { headers: { origin } })
          expect(post.data.data).toEqual({ __typename: "Query" })
          expect(post.headers["access-control-allow-origin"]).toBeUndefined()
          expect(post.headers["access-control-allow-credentials"]).toBeUndefined()
          // The answer depends on the origin: a shared cache must not hand it to a listed one.
          expect(post.headers.vary).toMatch(/\bOrigin\b/i)
        }

        const listed = await api.post("/graphql", { query: "{ __typename }" }, { headers: { origin: "http://localhost:9000" } })
        expect(listed.headers["access-control-allow-origin"]).toBe("http://localhost:9000")
        expect(listed.headers["access-control-allow-credentials"]).toBe("true")
        expect(listed.headers.vary).toMatch(/\bOrigin\b/i)
      })

      it("answers with the media type the client accepts", async () => {
        const post = (body: unknown, accept: string) =>
          api.post("/graphql", body, { headers: { accept, "content-type": "application/json" }, validateStatus: () => true })

        const ok = await post({ query: `{ brands(first: 1) { totalCount } }` }, "application/graphql-response+json")
        expect(ok.status).toBe(200)
        expect(ok.headers["content-type"]).toMatch(/^application\/graphql-response\+json/)
        expect({ data: ok.data.data, errors: ok.data.errors }).toEqual({ data: { brands: { totalCount: 11 } }, errors: undefined })

        const broken = await post({ query: `{ brands(first: 1) {` }, "application/graphql-response+json")
        expect(broken.status).toBe(400)
        expect(broken.headers["content-type"]).toMatch(/^application\/graphql-response\+json/)
        expect(broken.data.errors[0].extensions.code).toBe("GRAPHQL_PARSE_FAILED")

        const json = await post({ query: `{ brands(first: 1) { totalCount } }` }, "application/json")
        expect(json.status).toBe(200)
        expect(json.headers["content-type"]).toMatch(/^application\/json/)
      })

      it("refuses costly, deep or alias-heavy operations before they run", async () => {
        // Page sizes given as variables count as much as literal ones.
        const nested = `query ($n: Int) { brands(first: $n) { nodes { products(first: $n) { nodes { id title brand { products(first: $n) { nodes { id } } } } } } } }`
        const costly = await gql(api, nested, { n: 100 })
        expect({ status: costly.status, code: errorCode(costly), data: costly.data ?? null }).toEqual({
          status: 400,
          code: "QUERY_TOO_COSTLY",
          data: null,
        })
        expect(costly.errors![0].extensions!.cost).toBeGreaterThan(costly.errors![0].extensions!.maxCost)
        const fine = await gql(api, nested, { n: 5 })
        expect(fine.errors).toBeUndefined()
        expect(fine.data!.brands.nodes.length).toBeGreaterThan(0)
        // A variable that does not fit is the client's error, as without the cost check.
        const badVariable = await gql(api, nested, { n: "many" })
        expect(badVariable.status).toBe(400)
        expect(badVariable.errors![0].message).toMatch(/\$n/)

        // Lists of ids count one node per id, and hold at most 100.
        const ids = (n: number) => Array.from({ length: n }, (_, i) => brandIds[i % brandIds.length])
        const byIds = `query ($ids: [ID!]!) {
          nodes(ids: $ids) { ... on Brand { products(first: 100) { nodes { id title handle status createdAt brand { id name handle } } } } }
        }`
        expect(errorCode(await gql(api, byIds, { ids: ids(100) }))).toBe("QUERY_TOO_COSTLY")
        expect((await gql(api, byIds, { ids: ids(2) })).errors).toBeUndefined()
        const tooManyIds = await gql(api, `query ($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: ids(101) })
        expect(errorCode(tooManyIds)).toBe("BAD_USER_INPUT")
        expect((await gql(api, `query ($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: ids(100) })).errors).toBeUndefined()
        for (const filter of [{ id: { in: ids(101) } }, { title: { in: ids(101) } }, { brandId: { in: ids(101) } }]) {
          const res = await gql(api, `query ($f: ProductFilter) { products(filter: $f) { totalCount } }`, { f: filter })
          expect({ filter: Object.keys(filter)[0], code: errorCode(res) }).toEqual({ filter: Object.keys(filter)[0], code: "BAD_USER_INPUT" })
        }
        const brandsIn = await gql(api, `query ($f: BrandFilter) { brands(filter: $f) { totalCount } }`, { f: { handle: { in: ids(101) } } })
        expect(errorCode(brandsIn)).toBe("BAD_USER_INPUT")

        const deep = `{ products(first: 1) { nodes { brand { products(first: 1) { nodes { brand { products(first: 1) { nodes { brand { id } } } } } } } } } }`
        const tooDeep = await gql(api, deep)
        expect(tooDeep.data ?? null).toBeNull()
        expect(tooDeep.errors![0].message).toMatch(/depth/i)

        const aliases = Array.from({ length: 16 }, (_, i) => `a${i}: brands(first: 1) { totalCount }`).join(" ")
        const tooMany = await gql(api, `{ ${aliases} }`)
        expect(tooMany.data ?? null).toBeNull()
        expect(tooMany.errors![0].message).toMatch(/alias/i)
      })

      it("counts string filters in the cost, so that aliased substring scans are not cheap", async () => {
        // 15 aliases (the most allowed), each scanning product titles under a few brands.
        const aliased = `query ($f: ProductFilter) { ${Array.from({ length: 15 }, (_, i) => `a${i}: brands(first: 4) { nodes { products(first: 1, filter: $f) { totalCount } } }`).join(" ")} }`
        const plain = await gql(api, aliased, { f: null })
        expect({ status: plain.status, errors: plain.errors }).toEqual({ status: 200, errors: undefined })
        const scans = await gql(api, aliased, { f: { title: { contains: "lamp" } } })
        expect({ status: scans.status, code: errorCode(scans), data: scans.data ?? null }).toEqual({
          status: 400,
          code: "QUERY_TOO_COSTLY",
          data: null,
        })
        // eq and in values are lookups: they count less than a scan (the unit tests give the figures).
        const lookups = await gql(api, aliased, { f: { handle: { in: ["some-handle", "other-handle"] } } })
        expect(lookups.errors).toBeUndefined()
      })

      it("masks unexpected errors as \"Unexpected error.\"", async () => {
        // A real failure below the API: the link table is gone for a moment.
        await dbConnection.raw(`alter table product_product_brand_brand rename to product_brand_away`)
        try {
          const res = await gql(api, `{ products(filter: { hasBrand: false }) { nodes { id } } }`, {}, adminHeaders)
          expect(res.status).toBe(200)
          expect(res.data).toBeNull()
          expect(res.errors).toEqual([
            expect.objectContaining({ message: "Unexpected error.", path: ["products"] }),
          ])
          expect(JSON.stringify(res.body)).not.toMatch(/product_product_brand_brand|relation|stack|select/i)
        } finally {
          await dbConnection.raw(`alter table product_brand_away rename to product_product_brand_brand`)
        }
        const after = await gql(api, `{ products(filter: { hasBrand: false }) { totalCount } }`, {}, adminHeaders)
        expect(after.errors).toBeUndefined()
      })
    })
  },
})
