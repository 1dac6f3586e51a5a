import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createApiKeysWorkflow, linkSalesChannelsToApiKeyWorkflow } from "@medusajs/medusa/core-flows"
import type { AxiosInstance } from "axios"

export const PUBLISHABLE_KEY_HEADER = "x-publishable-api-key"

/**
 * Sends, with every request of `api`, a publishable key linked to every
 * sales channel of the store, as a storefront does: callers without admin
 * credentials read as that storefront, and see every published product that
 * is in any channel (the demo data puts each product in the webshop, the
 * wholesale channel or both). Call it once the channels exist.
 */
export async function useStorefrontKey(api: AxiosInstance, container: MedusaContainer): Promise<string> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data: channels } = await query.graph({ entity: "sales_channel", fields: ["id"] })
  const { token } = await createPublishableKey(container, "Every channel", channels.map((c: { id: string }) => c.id))
  api.defaults.headers.common[PUBLISHABLE_KEY_HEADER] = token
  return token
}

/** A new publishable key linked to the given sales channels; returns its id and token. */
export async function createPublishableKey(
  container: MedusaContainer,
  title: string,
  salesChannelIds: string[]
): Promise<{ id: string; token: string }> {
  const { result } = await createApiKeysWorkflow(container).run({
    input: { api_keys: [{ title, type: "publishable", created_by: "test" }] },
  })
  const key = result[0]
  if (salesChannelIds.length) {
    await linkSalesChannelsToApiKeyWorkflow(container).run({ input: { id: key.id, add: salesChannelIds } })
  }
  return { id: key.id, token: key.token }
}
