import postgresSearch from "@medusajs/medusa/search-postgres"
import { ModuleProvider, Modules } from "@medusajs/framework/utils"
import { bumpCatalogVersions } from "../../lib/response-cache/runtime"
import { KeywordReplicas, type ReplicaProvider } from "./keyword-replicas"
import { oneStatementSearch, type KeywordProvider } from "./one-statement-search"

type Provider = {
  search(input: unknown): Promise<object>
  upsertDocuments(input: unknown): Promise<unknown>
  deleteDocuments(input: unknown): Promise<unknown>
  clearIndex(input: unknown): Promise<unknown>
}
type ProviderClass = new (...args: any[]) => Provider

const PostgresSearchService = (postgresSearch as unknown as { services: ProviderClass[] }).services[0]

/**
 * Medusa's PostgreSQL search provider, with two changes:
 * - it bumps the search version of the response cache once a write to an
 *   index has landed: cached search answers are then dropped when the index
 *   holds the change, not when the change is made (its events are handled,
 *   and the index written, after it has answered). A dedicated engine's
 *   provider would need the same three methods.
 * - a keyword search is answered from the process's in-memory copy of the
 *   index (./keyword-replicas.ts) when the copy is current, and otherwise
 *   reads its hits, count and facets in one statement
 *   (./one-statement-search.ts) instead of one statement each.
 * Registered in medusa-config.ts in place of the package's provider.
 */
class PostgresSearchWithVersions extends PostgresSearchService {
  private readonly replicas = new KeywordReplicas(this as unknown as ReplicaProvider)

  async search(input: unknown) {
    return (
      (await this.replicas.search(input)) ??
      (await oneStatementSearch(this as unknown as KeywordProvider, input)) ??
      super.search(input)
    )
  }

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
