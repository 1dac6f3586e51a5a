import postgresSearch from "@medusajs/medusa/search-postgres"
import { ModuleProvider, Modules } from "@medusajs/framework/utils"
import { SEARCH_INDEX_WRITTEN } from "../../cache/change-table"
import { purgeAnswers } from "../../cache/runtime"
import { noteServingIndex } from "../../lib/search/serving-index"

type Provider = {
  search(input: { index: { name: string; physical_name: string } }): Promise<unknown>
  upsertIndex(input: { index: { physical_name: string } }): Promise<unknown>
  deleteIndex(input: { index: string }): Promise<unknown>
  upsertDocuments(input: unknown): Promise<unknown>
  deleteDocuments(input: unknown): Promise<unknown>
  clearIndex(input: unknown): Promise<unknown>
}
type ProviderClass = new (...args: any[]) => Provider

/** The database manager Medusa gives the provider (MikroORM's `execute` with `?` bindings). */
type Manager = { execute(sql: string, params?: unknown[]): Promise<any[]> }

const PostgresSearchService = (postgresSearch as unknown as { services: ProviderClass[] }).services[0]

/**
 * Medusa's PostgreSQL search provider, with two additions:
 *
 * - it purges cached search answers once a write to an index has landed:
 *   they are then dropped when the index holds the change, not when the
 *   change is made (its events are handled, and the index written, after it
 *   has answered). A dedicated engine's provider would need the same three
 *   methods.
 * - it keeps the dictionary of each index's words (table `search_word`,
 *   see migrations/Migration20261207233000.ts) attached to every index table
 *   it makes, drops an index's words with the index, and notes which version
 *   the module searches (lib/search/serving-index), whose words are the ones
 *   to read.
 *
 * Registered in medusa-config.ts in place of the package's provider.
 */
class PostgresSearchWithPurge extends PostgresSearchService {
  private readonly db: Manager

  constructor(deps: { manager: Manager }, options?: unknown) {
    super(deps, options)
    this.db = deps.manager
  }

  async search(input: { index: { name: string; physical_name: string } }) {
    noteServingIndex(input.index.name, input.index.physical_name)
    return super.search(input)
  }

  async upsertIndex(input: { index: { physical_name: string } }) {
    const result = await super.upsertIndex(input)
    await this.attachDictionary(input.index.physical_name)
    return result
  }

  async deleteIndex(input: { index: string }) {
    const result = await super.deleteIndex(input)
    await this.db.execute(`DELETE FROM "search_word" WHERE "index_name" = ?`, [input.index])
    return result
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
    await purgeAnswers(SEARCH_INDEX_WRITTEN)
    return result
  }

  /**
   * Attaches the dictionary's triggers to an index's table unless they are
   * there, counting the words it already holds. A table made anew (a new
   * version, or the old one dropped for a changed definition) has none.
   */
  private async attachDictionary(index: string) {
    const [row] = await this.db.execute(
      `SELECT i."table_name",
              EXISTS (SELECT FROM pg_trigger t WHERE t.tgrelid = to_regclass(quote_ident(i."table_name"))
                      AND t.tgname = 'search_word_ins') AS attached
       FROM "search_postgres_index" i WHERE i."name" = ?`,
      [index]
    )
    if (row && !row.attached) await this.db.execute(`SELECT search_word_attach(?, ?)`, [index, row.table_name])
  }
}

export default ModuleProvider(Modules.SEARCH, { services: [PostgresSearchWithPurge] })
