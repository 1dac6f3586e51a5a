import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import {
  createInventoryLevelsWorkflow,
  createProductsWorkflow,
  createSalesChannelsWorkflow,
  createStockLocationsWorkflow,
  linkSalesChannelsToStockLocationWorkflow,
} from "@medusajs/medusa/core-flows"
import { gql } from "../helpers/graphql"
import { createPublishableKey, PUBLISHABLE_KEY_HEADER } from "../helpers/storefront"

jest.setTimeout(120 * 1000)

// Medusa's store routes drop the sales channel filter while the store has at
// most one sales channel; the API follows the same rule, and applies the
// filter again once a second channel exists.
medusaIntegrationTestRunner({
  inApp: true,
  testSuite: ({ api, getContainer }) => {
    it("shows a one-channel store's storefront every published product, as GET /store/products does", async () => {
      const container = getContainer()
      const { result } = await createProductsWorkflow(container).run({
        input: {
          products: [
            { title: "In no channel", status: "published", options: [{ title: "Default", values: ["Default"] }] },
          ],
        },
      })
      const id = result[0].id
      // The store's one channel; the product is not in it, and is shown all the same.
      const query = container.resolve(ContainerRegistrationKeys.QUERY)
      const { data: channels } = await query.graph({ entity: "sales_channel", fields: ["id"] })
      expect(channels).toHaveLength(1)
      const key = { [PUBLISHABLE_KEY_HEADER]: (await createPublishableKey(container, "One channel", [channels[0].id])).token }
      const read = async () => (await gql(api, `{ products(first: 10) { nodes { id } } }`, {}, key)).data.products.nodes
      const store = async () => (await api.get(`/store/products`, { params: { fields: "id" }, headers: key })).data.products

      expect((await read()).map((p: any) => p.id)).toEqual([id])
      expect((await store()).map((p: any) => p.id)).toEqual([id])

      await createSalesChannelsWorkflow(container).run({ input: { salesChannelsData: [{ name: "Second" }] } })
      expect(await read()).toEqual([])
      expect(await store()).toEqual([])
    })

    it("counts a one-channel store's stock in its channel's locations, as GET /store/products does", async () => {
      const container = getContainer()
      const query = container.resolve(ContainerRegistrationKeys.QUERY)
      const { data: channels } = await query.graph({ entity: "sales_channel", fields: ["id"] })
      expect(channels).toHaveLength(1)
      const key = { [PUBLISHABLE_KEY_HEADER]: (await createPublishableKey(container, "One channel", [channels[0].id])).token }
      const { result: locations } = await createStockLocationsWorkflow(container).run({
        input: { locations: [{ name: "Shop" }, { name: "Elsewhere" }] },
      })
      await linkSalesChannelsToStockLocationWorkflow(container).run({ input: { id: locations[0].id, add: [channels[0].id] } })
      const { result } = await createProductsWorkflow(container).run({
        input: {
          products: [
            {
              title: "Lamp",
              handle: "lamp",
              status: "published",
              options: [{ title: "Default", values: ["Default"] }],
              variants: [{ title: "Lamp", sku: "lamp", options: { Default: "Default" }, manage_inventory: true, prices: [] }],
            },
          ],
        },
      })
      const { data: links } = await query.graph({
        entity: "product_variant_inventory_items",
        fields: ["inventory_item_id"],
        filters: { variant_id: result[0].variants[0].id },
      })
      await createInventoryLevelsWorkflow(container).run({
        input: {
          inventory_levels: [
            { inventory_item_id: links[0].inventory_item_id, location_id: locations[0].id, stocked_quantity: 3 },
            { inventory_item_id: links[0].inventory_item_id, location_id: locations[1].id, stocked_quantity: 40 },
          ],
        },
      })
      const res = await gql(api, `{ product(handle: "lamp") { variants { quantityAvailable availableForSale } } }`, {}, key)
      const store = await api.get(`/store/products`, {
        params: { handle: "lamp", fields: "id,+variants.inventory_quantity" },
        headers: key,
      })
      expect(store.data.products[0].variants[0].inventory_quantity).toBe(3)
      expect(res.data.product.variants).toEqual([{ quantityAvailable: 3, availableForSale: true }])
    })

    it("refuses a key linked to no sales channel, as GET /store/products does", async () => {
      const key = { [PUBLISHABLE_KEY_HEADER]: (await createPublishableKey(getContainer(), "No channel", [])).token }
      const res = await gql(api, `{ products { nodes { id } } }`, {}, key)
      expect(res.errors?.[0]?.extensions?.code).toBe("PUBLISHABLE_KEY_INVALID")
      const store = await api.get(`/store/products`, { headers: key, validateStatus: () => true })
      expect(store.status).toBe(400)
      expect(store.data.message).toMatch(/needs to have a sales channel/)
    })
  },
})
