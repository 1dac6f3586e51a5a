import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
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
      // A key with no channel at all: in a one-channel store it still sees everything published.
      const key = { [PUBLISHABLE_KEY_HEADER]: (await createPublishableKey(container, "No channel", [])).token }
      const read = async () => (await gql(api, `{ products(first: 10) { nodes { id } } }`, {}, key)).data.products.nodes
      const store = async () => (await api.get(`/store/products`, { params: { fields: "id" }, headers: key })).data.products

      expect((await read()).map((p: any) => p.id)).toEqual([id])
      expect((await store()).map((p: any) => p.id)).toEqual([id])

      await createSalesChannelsWorkflow(container).run({ input: { salesChannelsData: [{ name: "Second" }] } })
      expect(await read()).toEqual([])
      expect(await store()).toEqual([])
    })
  },
})
