import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createApiKeysWorkflow, linkSalesChannelsToApiKeyWorkflow } from "@medusajs/medusa/core-flows"
import type { AxiosInstance } from "axios"

export const PUBLISHABLE_KEY_HEADER = "x-publishable-api-key"

/** The token of the publishable key Medusa makes on first boot (linked to the default sales channel). */
export async function defaultPublishableKey(container: MedusaContainer): Promise<string> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "api_key",
    fields: ["token"],
    filters: { type: "publishable", title: "Default Publishable API Key" },
  })
  if (!data[0]) throw new Error("Medusa made no default publishable API key")
  return data[0].token
}

/**
 * Sends the default publishable key with every request of `api`, as a
 * storefront does: callers without admin credentials read as that storefront.
 * With the store's one sales channel, it sees every published product.
 */
export async function useDefaultStorefrontKey(api: AxiosInstance, container: MedusaContainer): Promise<string> {
  const token = await defaultPublishableKey(container)
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
