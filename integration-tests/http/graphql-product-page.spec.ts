import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import {
  createInventoryLevelsWorkflow,
  createProductsWorkflow,
  createProductVariantsWorkflow,
  createStockLocationsWorkflow,
  linkSalesChannelsToStockLocationWorkflow,
} from "@medusajs/medusa/core-flows"
import { createAdmin } from "../helpers/admin"
import { countStatements, errorCode, gql, gqlData, type Headers } from "../helpers/graphql"
import { createPublishableKey, PUBLISHABLE_KEY_HEADER } from "../helpers/storefront"

jest.setTimeout(240 * 1000)

// The product page: choosing a variant by its options, and stock, counted as Medusa's store routes count
// variants.inventory_quantity: through the stock locations of the key's
// sales channel (GET /store/products is the reference), across every
// location for admins (GET /admin/products/:id/variants), and the most of
// any one channel for a key with several. Real inventory items, levels,
// reservations and locations; the answer cache on, as in production.

type Level = { sku: string; location: "web" | "wholesale" | "backroom"; stocked: number }

/** The tee's variants: Size x Color, each with a different stock situation. */
const TEE_VARIANTS = [
  // In stock in both channels' locations, and in a location no channel sells from.
  { sku: "tee-s-red", options: { Size: "S", Color: "Red" }, manage_inventory: true, allow_backorder: false },
  // Sold out everywhere.
  { sku: "tee-m-red", options: { Size: "M", Color: "Red" }, manage_inventory: true, allow_backorder: false },
  // None in stock, but backorders allowed.
  { sku: "tee-l-red", options: { Size: "L", Color: "Red" }, manage_inventory: true, allow_backorder: true },
  // Inventory not managed.
  { sku: "tee-s-blue", options: { Size: "S", Color: "Blue" }, manage_inventory: false, allow_backorder: false },
  // Only in the wholesale channel's location.
  { sku: "tee-m-blue", options: { Size: "M", Color: "Blue" }, manage_inventory: true, allow_backorder: false },
]

const LEVELS: Level[] = [
  { sku: "tee-s-red", location: "web", stocked: 5 },
  { sku: "tee-s-red", location: "wholesale", stocked: 2 },
  { sku: "tee-s-red", location: "backroom", stocked: 7 },
  { sku: "tee-m-red", location: "web", stocked: 0 },
  { sku: "tee-m-red", location: "wholesale", stocked: 0 },
  { sku: "tee-l-red", location: "web", stocked: 0 },
  { sku: "tee-m-blue", location: "wholesale", stocked: 3 },
  { sku: "mug-one", location: "web", stocked: 0 },
]

const STOCK = `query ($handle: String!) {
  product(handle: $handle) {
    id
    availableForSale
    variants { id sku availableForSale quantityAvailable }
  }
}`

medusaIntegrationTestRunner({
  inApp: true,
  testSuite: ({ api, getContainer }) => {
    let admin: Headers
    const keys: Record<"web" | "wholesale" | "both", string> = { web: "", wholesale: "", both: "" }
    const locations: Record<Level["location"], string> = { web: "", wholesale: "", backroom: "" }
    const itemOf: Record<string, string> = {}
    let teeId: string

    const as = (key: keyof typeof keys): Headers => ({ [PUBLISHABLE_KEY_HEADER]: keys[key] })
    const stockOf = async (headers: Headers, handle = "tee") => {
      const { product } = await gqlData(api, STOCK, { handle }, headers)
      return product
    }
    /** sku -> [availableForSale, quantityAvailable] of a GraphQL answer. */
    const bySku = (product: any) =>
      Object.fromEntries(product.variants.map((v: any) => [v.sku, [v.availableForSale, v.quantityAvailable]]))
    /** Reads until the answer comes from the cache: events of earlier writes, handled late, may drop it once. */
    const cachedRead = async (query: string, variables: Record<string, unknown>, headers: Headers) => {
      let res = await gql(api, query, variables, headers)
      for (let tries = 0; res.headers["x-cache"] !== "HIT" && tries < 100; tries++) {
        await new Promise((r) => setTimeout(r, 100))
        res = await gql(api, query, variables, headers)
      }
      expect(res.headers["x-cache"]).toBe("HIT")
      return res.data
    }

    beforeAll(async () => {
      const container = getContainer()
      const query = container.resolve(ContainerRegistrationKeys.QUERY)
      admin = (await createAdmin(container, api)).headers

      const salesChannels = container.resolve(Modules.SALES_CHANNEL)
      const [web, wholesale] = await salesChannels.createSalesChannels([{ name: "Web" }, { name: "Wholesale" }])
      keys.web = (await createPublishableKey(container, "Web", [web.id])).token
      keys.wholesale = (await createPublishableKey(container, "Wholesale", [wholesale.id])).token
      keys.both = (await createPublishableKey(container, "Both", [web.id, wholesale.id])).token

      const { result: created } = await createStockLocationsWorkflow(container).run({
        input: { locations: [{ name: "Web warehouse" }, { name: "Wholesale warehouse" }, { name: "Back room" }] },
      })
      ;[locations.web, locations.wholesale, locations.backroom] = created.map((l: { id: string }) => l.id)
      await linkSalesChannelsToStockLocationWorkflow(container).run({ input: { id: locations.web, add: [web.id] } })
      await linkSalesChannelsToStockLocationWorkflow(container).run({
        input: { id: locations.wholesale, add: [wholesale.id] },
      })

      const { result: products } = await createProductsWorkflow(container).run({
        input: {
          products: [
            {
              title: "Tee",
              handle: "tee",
              status: "published",
              sales_channels: [{ id: web.id }, { id: wholesale.id }],
              options: [
                { title: "Size", values: ["S", "M", "L"] },
                { title: "Color", values: ["Red", "Blue"] },
              ],
              variants: TEE_VARIANTS.map((v) => ({ ...v, title: v.sku, prices: [] })),
            },
            {
              title: "Mug",
              handle: "mug",
              status: "published",
              sales_channels: [{ id: web.id }],
              options: [{ title: "Size", values: ["One"] }],
              variants: [
                { sku: "mug-one", title: "mug-one", options: { Size: "One" }, manage_inventory: true, prices: [] },
              ],
            },
          ],
        },
      })
      teeId = products[0].id

      // Medusa gave each managed variant an inventory item of its own.
      const { data: links } = await query.graph({
        entity: "product_variant_inventory_items",
        fields: ["inventory_item_id", "variant.sku"],
        filters: { variant_id: products.flatMap((p: any) => p.variants.map((v: any) => v.id)) },
      })
      for (const link of links as any[]) itemOf[link.variant.sku] = link.inventory_item_id
      await createInventoryLevelsWorkflow(container).run({
        input: {
          inventory_levels: LEVELS.map((l) => ({
            inventory_item_id: itemOf[l.sku],
            location_id: locations[l.location],
            stocked_quantity: l.stocked,
          })),
        },
      })
      // A reservation (an order placed) takes 1 of the web warehouse's 5.
      const inventory = container.resolve(Modules.INVENTORY)
      await inventory.createReservationItems([
        { inventory_item_id: itemOf["tee-s-red"], location_id: locations.web, quantity: 1 },
      ])
    })

    it("equals Medusa's GET /store/products variants.inventory_quantity for the same publishable key", async () => {
      for (const key of ["web", "wholesale"] as const) {
        const store = await api.get(`/store/products?handle=tee&fields=id,*variants,+variants.inventory_quantity`, {
          headers: as(key),
        })
        expect(store.status).toBe(200)
        const medusa = Object.fromEntries(
          store.data.products[0].variants.map((v: any) => [v.sku, v.manage_inventory ? v.inventory_quantity : null])
        )
        const ours = await stockOf(as(key))
        const quantities = Object.fromEntries(ours.variants.map((v: any) => [v.sku, v.quantityAvailable]))
        expect(quantities).toEqual(medusa)
      }
      // Written out: the reservation counts, the back room (no channel) does not.
      expect(bySku(await stockOf(as("web")))).toEqual({
        "tee-s-red": [true, 4],
        "tee-m-red": [false, 0],
        "tee-l-red": [true, 0],
        "tee-s-blue": [true, null],
        "tee-m-blue": [false, 0],
      })
      expect(bySku(await stockOf(as("wholesale")))).toEqual({
        "tee-s-red": [true, 2],
        "tee-m-red": [false, 0],
        "tee-l-red": [true, 0],
        "tee-s-blue": [true, null],
        "tee-m-blue": [true, 3],
      })
    })

    it("gives a key with several channels the most any one of them has (Medusa's store routes refuse to count it)", async () => {
      const store = await api.get(`/store/products?handle=tee&fields=id,+variants.inventory_quantity`, {
        headers: as("both"),
        validateStatus: () => true,
      })
      expect(store.status).toBe(400)
      expect(bySku(await stockOf(as("both")))).toEqual({
        "tee-s-red": [true, 4],
        "tee-m-red": [false, 0],
        "tee-l-red": [true, 0],
        "tee-s-blue": [true, null],
        "tee-m-blue": [true, 3],
      })
    })

    it("counts every stock location for admins, as Medusa's admin variant routes do", async () => {
      const rest = await api.get(`/admin/products/${teeId}/variants?fields=sku,manage_inventory,+inventory_quantity`, {
        headers: admin,
      })
      expect(rest.status).toBe(200)
      const medusa = Object.fromEntries(
        rest.data.variants.map((v: any) => [v.sku, v.manage_inventory ? v.inventory_quantity : null])
      )
      const ours = await stockOf(admin)
      expect(Object.fromEntries(ours.variants.map((v: any) => [v.sku, v.quantityAvailable]))).toEqual(medusa)
      expect(medusa["tee-s-red"]).toBe(13)
    })

    it("says whether a product can be bought: one variant for sale is enough", async () => {
      expect((await stockOf(as("web"))).availableForSale).toBe(true)
      const mug = await stockOf(as("web"), "mug")
      expect(mug.availableForSale).toBe(false)
      expect(bySku(mug)).toEqual({ "mug-one": [false, 0] })
      // Product.availableForSale alone loads the variants' stock fields itself.
      const { product } = await gqlData(api, `{ product(handle: "mug") { availableForSale } }`, {}, as("web"))
      expect(product).toEqual({ availableForSale: false })
    })

    it("reads the stock of every variant on a page in one look-up, not one per variant", async () => {
      const page = `{ products(first: 10) { nodes { availableForSale variants { availableForSale quantityAvailable } } } }`
      const headers = { ...admin, "cache-control": "no-cache" }
      const { statements } = await countStatements(() => gqlData(api, page, {}, headers))
      const { statements: without } = await countStatements(() =>
        gqlData(api, `{ products(first: 10) { nodes { variants { id } } } }`, {}, headers)
      )
      // Medusa's total availability: the inventory items with their levels.
      expect(statements.length - without.length).toBeLessThanOrEqual(4)
    })

    const SELECT = `query ($handle: String!, $selected: [SelectedOptionInput!]!) {
      product(handle: $handle) {
        variantBySelectedOptions(selectedOptions: $selected) { sku availableForSale quantityAvailable }
      }
    }`
    const select = async (selected: unknown, headers: Headers = as("web")) =>
      gql(api, SELECT, { handle: "tee", selected }, headers)

    it("finds the variant with exactly the selected option values, in any order", async () => {
      const res = await select([
        { name: "Color", value: "Red" },
        { name: "Size", value: "S" },
      ])
      expect(res.errors).toBeUndefined()
      expect(res.data!.product.variantBySelectedOptions).toEqual({ sku: "tee-s-red", availableForSale: true, quantityAvailable: 4 })
      const blue = await select([
        { name: "Size", value: "M" },
        { name: "Color", value: "Blue" },
      ], as("wholesale"))
      expect(blue.data!.product.variantBySelectedOptions).toEqual({ sku: "tee-m-blue", availableForSale: true, quantityAvailable: 3 })
    })

    it("answers null for unknown option names or values, a partial selection, or another case", async () => {
      const cases = [
        [{ name: "Size", value: "XL" }, { name: "Color", value: "Red" }],
        [{ name: "Fit", value: "S" }, { name: "Color", value: "Red" }],
        [{ name: "Size", value: "S" }],
        [],
        [{ name: "Size", value: "S" }, { name: "Color", value: "Red" }, { name: "Fit", value: "Slim" }],
        [{ name: "size", value: "S" }, { name: "Color", value: "Red" }],
        [{ name: "Size", value: "s" }, { name: "Color", value: "Red" }],
      ]
      for (const selected of cases) {
        const res = await select(selected)
        expect([selected, res.errors]).toEqual([selected, undefined])
        expect(res.data!.product.variantBySelectedOptions).toBeNull()
      }
    })

    it("refuses malformed selections with BAD_USER_INPUT: an option named twice, a value missing, too many", async () => {
      const twice = await select([
        { name: "Size", value: "S" },
        { name: "Size", value: "M" },
      ])
      expect(twice.status).toBe(200)
      expect(errorCode(twice)).toBe("BAD_USER_INPUT")
      expect(twice.errors![0].extensions!.argument).toBe("selectedOptions")
      expect(twice.errors![0].message).toMatch(/"Size" is selected more than once/)

      // Variables that do not fit their type: the same code, naming the variable.
      const missing = await select([{ name: "Size" }])
      expect(missing.status).toBe(400)
      expect(missing.errors![0].extensions).toEqual({ code: "BAD_USER_INPUT", argument: "selected" })
      const nul = await select([null])
      expect(errorCode(nul)).toBe("BAD_USER_INPUT")

      const many = await select(Array.from({ length: 101 }, (_, i) => ({ name: `o${i}`, value: "v" })))
      expect(errorCode(many)).toBe("BAD_USER_INPUT")
      for (const res of [twice, missing, nul, many]) expect(JSON.stringify(res.body)).not.toMatch(/stack|select /i)
    })

    it("says for each option value whether a variant with it can be bought in the key's channels", async () => {
      const AVAILABILITY = `{ product(handle: "tee") { options { title valueAvailability { value availableForSale } } } }`
      const shown = async (key: keyof typeof keys) => {
        const { product } = await gqlData(api, AVAILABILITY, {}, as(key))
        return Object.fromEntries(
          product.options.map((o: any) => [
            o.title,
            Object.fromEntries(o.valueAvailability.map((v: any) => [v.value, v.availableForSale])),
          ])
        )
      }
      // Web: M is sold out in red and has no blue in the web warehouse; L takes backorders; S/Blue is not managed.
      expect(await shown("web")).toEqual({ Size: { S: true, M: false, L: true }, Color: { Red: true, Blue: true } })
      // Wholesale: the blue M is there.
      expect(await shown("wholesale")).toEqual({ Size: { S: true, M: true, L: true }, Color: { Red: true, Blue: true } })
      // The mug's only value: sold out.
      const { product: mug } = await gqlData(
        api,
        `{ product(handle: "mug") { options { valueAvailability { value availableForSale } } } }`,
        {},
        as("web")
      )
      expect(mug.options).toEqual([{ valueAvailability: [{ value: "One", availableForSale: false }] }])
    })

    it("shows a stock change made through the admin REST routes on the next read", async () => {
      const headers = as("web")
      await cachedRead(`{ product(handle: "tee") { title } }`, {}, headers)
      expect(bySku(await stockOf(headers))["tee-m-red"]).toEqual([false, 0])
      // Kept: the same read again is a hit.
      await cachedRead(STOCK, { handle: "tee" }, headers)

      const restock = await api.post(
        `/admin/inventory-items/${itemOf["tee-m-red"]}/location-levels/${locations.web}`,
        { stocked_quantity: 6 },
        { headers: admin }
      )
      expect(restock.status).toBe(200)
      expect(bySku(await stockOf(headers))["tee-m-red"]).toEqual([true, 6])
      // The level's route drops answers holding stock, not the others.
      expect((await gql(api, `{ product(handle: "tee") { title } }`, {}, headers)).headers["x-cache"]).toBe("HIT")
    })

    it("drops the answers holding a variant's stock when a level or reservation changes it in code (Medusa's inventory events)", async () => {
      // The runner restores the database before each test, not the answer cache: a document of this test's own.
      const doc = STOCK.replace("query (", "query InCode(")
      const headers = as("web")
      const teeMRed = async () => bySku((await gqlData(api, doc, { handle: "tee" }, headers)).product)["tee-m-red"]
      const until = async <T>(read: () => Promise<T>, done: (value: T) => boolean) => {
        const deadline = Date.now() + 10_000
        let value = await read()
        while (!done(value) && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 100))
          value = await read()
        }
        return value
      }
      const inventory = getContainer().resolve(Modules.INVENTORY)
      const levelOf = async (sku: string) =>
        (await inventory.listInventoryLevels({ inventory_item_id: itemOf[sku], location_id: locations.web }))[0]

      expect(bySku((await cachedRead(doc, { handle: "tee" }, headers)).product)["tee-m-red"]).toEqual([false, 0])
      // A product's availability alone carries its variants' ids.
      const mugAlone = `{ product(handle: "mug") { availableForSale } }`
      const mug = async () => (await gqlData(api, mugAlone, {}, headers)).product.availableForSale
      expect((await cachedRead(mugAlone, {}, headers)).product.availableForSale).toBe(false)

      // Restocked by a workflow: a level update.
      const level = await levelOf("tee-m-red")
      await inventory.updateInventoryLevels([
        { id: level.id, inventory_item_id: itemOf["tee-m-red"], location_id: locations.web, stocked_quantity: 6 },
      ] as any)
      expect(await until(teeMRed, (v) => v[1] === 6)).toEqual([true, 6])

      // An order placed: a reservation of the 6 units. Another product's answer stays.
      const [reservation] = await inventory.createReservationItems([
        { inventory_item_id: itemOf["tee-m-red"], location_id: locations.web, quantity: 6 },
      ])
      expect(await until(teeMRed, (v) => v[1] === 0)).toEqual([false, 0])
      expect((await gql(api, mugAlone, {}, headers)).headers["x-cache"]).toBe("HIT")

      // The order cancelled: its reservation deleted.
      await inventory.deleteReservationItems([reservation.id])
      expect(await until(teeMRed, (v) => v[1] === 6)).toEqual([true, 6])

      // The mug restocked: its availability alone follows.
      const mugLevel = await levelOf("mug-one")
      await inventory.updateInventoryLevels([
        { id: mugLevel.id, inventory_item_id: itemOf["mug-one"], location_id: locations.web, stocked_quantity: 2 },
      ] as any)
      expect(await until(mug, (v) => v)).toBe(true)
    })

    it("drops a product's availability when a variant is added to it in code", async () => {
      const headers = as("web")
      const container = getContainer()
      const { data: channels } = await container
        .resolve(ContainerRegistrationKeys.QUERY)
        .graph({ entity: "sales_channel", fields: ["id"], filters: { name: "Web" } })
      // A vase sold out in its one size, with a second size to come.
      const { result: [vase] } = await createProductsWorkflow(container).run({
        input: {
          products: [
            {
              title: "Vase",
              handle: "vase",
              status: "published",
              sales_channels: [{ id: channels[0].id }],
              options: [{ title: "Size", values: ["Small", "Large"] }],
              variants: [{ title: "vase-small", sku: "vase-small", options: { Size: "Small" }, manage_inventory: true, prices: [] }],
            },
          ],
        },
      })
      const doc = `{ product(handle: "vase") { availableForSale variants { sku } } }`
      const read = async () => (await gqlData(api, doc, {}, headers)).product
      // Kept, once the events of the vase's creation have been handled.
      expect((await cachedRead(doc, {}, headers)).product).toEqual({ availableForSale: false, variants: [{ sku: "vase-small" }] })

      await createProductVariantsWorkflow(container).run({
        input: {
          product_variants: [
            { product_id: vase.id, title: "vase-large", sku: "vase-large", options: { Size: "Large" }, manage_inventory: false, prices: [] },
          ],
        },
      })
      const deadline = Date.now() + 10_000
      let product = await read()
      while (!product.availableForSale && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100))
        product = await read()
      }
      expect(product.availableForSale).toBe(true)
      expect(product.variants.map((v: any) => v.sku).sort()).toEqual(["vase-large", "vase-small"])
    })

    it("drops stock answers at once when a channel's stock locations change through the admin REST routes, and keeps the others", async () => {
      const headers = as("wholesale")
      expect(bySku(await stockOf(headers))["tee-m-blue"]).toEqual([true, 3])
      const titles = `{ product(handle: "tee") { title } }`
      await cachedRead(titles, {}, headers)
      const { data: channels } = await getContainer()
        .resolve(ContainerRegistrationKeys.QUERY)
        .graph({ entity: "sales_channel", fields: ["id"], filters: { name: "Wholesale" } })
      const unlink = await api.post(
        `/admin/stock-locations/${locations.wholesale}/sales-channels`,
        { remove: [channels[0].id] },
        { headers: admin }
      )
      expect(unlink.status).toBe(200)
      try {
        expect(bySku(await stockOf(headers))["tee-m-blue"]).toEqual([false, 0])
        // An answer without stock is not dropped by a stock change.
        expect((await gql(api, titles, {}, headers)).headers["x-cache"]).toBe("HIT")
      } finally {
        await api.post(
          `/admin/stock-locations/${locations.wholesale}/sales-channels`,
          { add: [channels[0].id] },
          { headers: admin }
        )
      }
      expect(bySku(await stockOf(headers))["tee-m-blue"]).toEqual([true, 3])
    })

    it("refuses a caller without a key, as every read does", async () => {
      const res = await gql(api, STOCK, { handle: "tee" })
      expect(errorCode(res)).toBe("PUBLISHABLE_KEY_REQUIRED")
    })
  },
})
