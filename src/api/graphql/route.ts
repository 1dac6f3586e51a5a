import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createGraphQLServer } from "../../graphql/server"

let server: ReturnType<typeof createGraphQLServer> | undefined

/** Hands the request to the GraphQL server, built on first use. */
function handle(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  server ??= createGraphQLServer({ logger: req.scope.resolve(ContainerRegistrationKeys.LOGGER) })
  return server.handle(req, res)
}

export const GET = handle
export const POST = handle
export const OPTIONS = handle
