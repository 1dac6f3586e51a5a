import { MedusaError } from "@medusajs/framework/utils"
import { keywordTsQuerySql } from "@medusajs/search-postgres/dist/utils"
import { LRUCache } from "lru-cache"
import { loadAppConfig } from "../../lib/config"
import { responseCacheRuntime } from "../../lib/response-cache/runtime"
import { KeywordReplica, type ReplicaCatalog, type SqlRunner } from "./keyword-replica"
import { searchReplica } from "./replica-search"
import { parseTsquery, type QueryOperand } from "./tsvector-text"

/** What of Medusa's PostgreSQL search provider the replicas use. */
export type ReplicaProvider = {
  manager_: SqlRunner
  logger_?: { warn(message: string): void; info(message: string): void }
  tsConfig_: string
  retrieve(physicalName: string): Promise<{ table_name: string; plan: ReplicaCatalog["plan"] }>
}

/** Query texts whose words (PostgreSQL's parse of them) one process keeps. */
const MAX_PARSED_QUERIES = 1000

/** How long a copy set aside for a mendable reason waits before a new one is filled. */
const REFILL_AFTER_MS = 10_000

/**
 * The keyword replicas of one provider, one per index (its active physical
 * table), and when a search is answered from one.
 *
 * A search is answered from memory when the copy holds what the search
 * version says the index holds. The version is the response cache's (in
 * Redis with REDIS_URL, shared by every process; bumped after each write to
 * the index has landed). Without it (RESPONSE_CACHE=false), with Redis out
 * of reach, while a copy is being filled, and for what a copy does not cover,
 * searches go to PostgreSQL as before.
 */
export class KeywordReplicas {
  private readonly settings = loadAppConfig().searchReplica
  private readonly byIndex = new Map<string, Promise<KeywordReplica | null>>()
  /** A query text's words, or null for a text the copy leaves to PostgreSQL (kept as `{ words }`). */
  private readonly parsed = new LRUCache<string, { words: QueryOperand[] | null }>({ max: MAX_PARSED_QUERIES })

  constructor(private readonly provider: ReplicaProvider) {}

  async search(input: any): Promise<object | null> {
    if (!this.settings.enabled || !input.q?.trim() || !input.index?.physical_name) return null
    const versions = responseCacheRuntime()?.versions
    if (!versions) return null
    let version: string
    try {
      version = await versions.read(["search"])
    } catch {
      return null
    }
    const name = input.index.name ?? input.index.physical_name
    const replica = await this.replicaOf(name, input.index.physical_name)
    if (!replica) return null
    if (!replica.usable) {
      if (replica.setAsideAt !== null && Date.now() - replica.setAsideAt > REFILL_AFTER_MS) this.forget(name)
      return null
    }
    if (!replica.ready) {
      replica.fill(version)
      return null
    }
    let words: QueryOperand[] | null
    try {
      await replica.syncTo(version)
      words = await this.wordsOf(input.q.trim(), input.search_options?.match_strategy)
    } catch {
      // PostgreSQL out of reach, say: this search goes there too (and fails there, or not);
      // the next one syncs again.
      return null
    }
    if (!replica.ready || !words) return null
    try {
      return await searchReplica(replica, input, words, (ids) => this.readDocuments(replica, ids))
    } catch (error) {
      // A search the provider rejects (a facet on a field that has none, say): PostgreSQL's
      // path rejects it with its own error.
      if (MedusaError.isMedusaError(error)) return null
      // A fault of the copy's own: it is not used again in this process.
      replica.usable = false
      this.warn(new Error(`set aside, searches read PostgreSQL: ${(error as Error).message}`))
      return null
    }
  }

  /** Resolves once no copy is being filled or synced: what a copy reads in the background is done. */
  async settled(): Promise<void> {
    for (const replica of await Promise.all(this.byIndex.values())) await replica?.settled()
  }

  private forget(name: string): void {
    for (const key of this.byIndex.keys()) if (key.startsWith(`${name}\u0000`)) this.byIndex.delete(key)
  }

  private replicaOf(name: string, physicalName: string): Promise<KeywordReplica | null> {
    const key = `${name}\u0000${physicalName}`
    let replica = this.byIndex.get(key)
    if (!replica) {
      // A rebuilt index has a new physical table: the copy of the old one goes.
      this.forget(name)
      replica = this.provider.retrieve(physicalName).then(
        (catalog) =>
          new KeywordReplica(
            physicalName,
            { tableName: catalog.table_name, plan: catalog.plan },
            this.provider.manager_,
            this.settings,
            (error) => this.warn(error),
            (documents, ms) =>
              this.provider.logger_?.info(`Search index ${name} copied to memory: ${documents} documents in ${ms} ms`)
          ),
        () => {
          // Tried again by a later search.
          this.byIndex.delete(key)
          return null
        }
      )
      this.byIndex.set(key, replica)
    }
    return replica
  }

  /** The query's words as the provider matches them (plainto_tsquery, the last word a prefix with "last"). */
  private async wordsOf(q: string, strategy: string | undefined): Promise<QueryOperand[] | null> {
    if (strategy === "any") return null
    const key = `${strategy ?? ""}\u0000${q}`
    const known = this.parsed.get(key)
    if (known) return known.words
    const [row] = await this.provider.manager_.execute(
      `SELECT (${keywordTsQuerySql(this.provider.tsConfig_, strategy as Parameters<typeof keywordTsQuerySql>[1])})::text AS query`,
      [q]
    )
    const words = parseTsquery(row.query)
    this.parsed.set(key, { words })
    return words
  }

  /** The stored documents of a page's hits, for a search that asks for more than the copy keeps. */
  private async readDocuments(replica: KeywordReplica, ids: string[]): Promise<Map<string, unknown>> {
    if (!ids.length) return new Map()
    const rows = await this.provider.manager_.execute(
      `SELECT "id", "document" FROM "${replica.catalog.tableName}" WHERE "id" IN (${ids.map(() => "?").join(", ")})`,
      ids
    )
    return new Map(rows.map((r) => [r.id as string, typeof r.document === "string" ? JSON.parse(r.document) : r.document]))
  }

  private warn(error: Error): void {
    this.provider.logger_?.warn(`Search index copy: ${error.message}`)
  }
}
