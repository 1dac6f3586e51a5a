import type { MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { createApiKeysWorkflow, createUsersWorkflow } from "@medusajs/medusa/core-flows"
import type { AxiosInstance } from "axios"

export type AdminAuth = {
  userId: string
  token: string
  headers: { authorization: string }
}

/**
 * An admin user, logged in through Medusa's own emailpass route: the bearer
 * token is the one a real client would get.
 */
export async function createAdmin(
  container: MedusaContainer,
  api: AxiosInstance,
  email = "admin@test.local",
  password = "test-password"
): Promise<AdminAuth> {
  const { result } = await createUsersWorkflow(container).run({ input: { users: [{ email }] } })
  const userId = result[0].id
  const auth = container.resolve(Modules.AUTH)
  const { authIdentity, error } = await auth.register("emailpass", { body: { email, password } } as any)
  if (error || !authIdentity) throw new Error(`register failed: ${error}`)
  await auth.updateAuthIdentities({ id: authIdentity.id, app_metadata: { user_id: userId } })
  const { data } = await api.post("/auth/user/emailpass", { email, password })
  return { userId, token: data.token, headers: { authorization: `Bearer ${data.token}` } }
}

/** A secret API key; Medusa accepts it as `Basic base64(token:)`. */
export async function createSecretApiKey(container: MedusaContainer, userId: string) {
  const { result } = await createApiKeysWorkflow(container).run({
    input: { api_keys: [{ title: "test", type: "secret", created_by: userId }] },
  })
  const token = result[0].token
  return { authorization: `Basic ${Buffer.from(`${token}:`).toString("base64")}` }
}
