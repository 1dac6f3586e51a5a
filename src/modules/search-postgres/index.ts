import postgresSearch from "@medusajs/medusa/search-postgres"
import { ModuleProvider, Modules } from "@medusajs/framework/utils"
import { SEARCH_INDEX_WRITTEN } from "../../cache/change-table"
import { purgeAnswers } from "../../cache/runtime"

type Provider = {
  upsertDocuments(input: unknown): Promise<unknown>
  deleteDocuments(input: unknown): Promise<unknown>
  clearIndex(input: unknown): Promise<unknown>
}
type ProviderClass = new (...args: any[]) => Provider

const PostgresSearchService = (postgresSearch as unknown as { services: ProviderClass[] }).services[0]

/**
 * Medusa's PostgreSQL search provider, which also purges cached search
 * answers once a write to an index has landed: they are then dropped when
 * the index holds the change, not when the change is made (its events are
 * handled, and the index written, after it has answered). A dedicated
 * engine's provider would need the same three methods. Registered in
 * medusa-config.ts in place of the package's provider.
 */
class PostgresSearchWithPurge extends PostgresSearchService {
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
    await purgeAnswers(SEARCH_INDEX_WRITTEN)
    return result
  }
}

export default ModuleProvider(Modules.SEARCH, { services: [PostgresSearchWithPurge] })
