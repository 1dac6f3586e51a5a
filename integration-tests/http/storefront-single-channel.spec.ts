import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createProductsWorkflow, createSalesChannelsWorkflow } from "@medusajs/medusa/core-flows"
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
