import postgresSearch from "@medusajs/medusa/search-postgres"
import { ModuleProvider, Modules } from "@medusajs/framework/utils"
import { bumpCatalogVersions } from "../../lib/response-cache/runtime"

type Provider = {
  upsertDocuments(input: unknown): Promise<unknown>
  deleteDocuments(input: unknown): Promise<unknown>
  clearIndex(input: unknown): Promise<unknown>
}
type ProviderClass = new (...args: any[]) => Provider

const PostgresSearchService = (postgresSearch as unknown as { services: ProviderClass[] }).services[0]

/**
 * Medusa's PostgreSQL search provider, which also bumps the search version
 * of the response cache once a write to an index has landed: cached search
 * answers are then dropped when the index holds the change, not when the
 * change is made (its events are handled, and the index written, after it
 * has answered). Registered in medusa-config.ts in place of the package's
 * provider; a dedicated engine's provider would need the same three methods.
 */
class PostgresSearchWithVersions extends PostgresSearchService {
  async upsertDocuments(input: unknown) {
    return this.afterWrite(await super.upsertDocuments(input))
  }

  async deleteDocuments(input: unknown) {
    return this.afterWrite(await super.deleteDocuments(input))
  }

  async clearIndex(input: unknown) {
    return this.afterWrite(await super.clearIndex(input))
  }

  private async afterWrite<T>(result: T): Promise<T> {
    await bumpCatalogVersions(["search"])
    return result
  }
}

export default ModuleProvider(Modules.SEARCH, { services: [PostgresSearchWithVersions] })
