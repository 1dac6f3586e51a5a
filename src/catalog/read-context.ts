import type { Knex } from "@medusajs/framework/mikro-orm/knex"
import type { MedusaContainer, RemoteQueryFunction } from "@medusajs/framework/types"
import type { CatalogDomain } from "../lib/response-cache/catalog-domains"
import type { Caller } from "./caller"
import type { ReadCacheSettings } from "./read-cache"

/**
 * What a catalog read needs: Medusa's Query, the database (for the few
 * statements Query cannot plan), who is reading, and whether reads may come
 * from the cache. A GraphQL context, a REST route or a script can provide it.
 */
export type ReadContext = {
  query: Omit<RemoteQueryFunction, symbol>
  db: Knex
  caller: Caller
  readCache: ReadCacheSettings
  /** The request's container, where Medusa's Caching Module lives: without it, planned statements are not cached. */
  scope?: MedusaContainer
  /**
   * Keeps what `read` returns for `key` until a catalog domain it depends on
   * changes (the response cache's versions); absent where nothing may be
   * kept. What it returns is shared: callers must not change it.
   */
  remember?: <T extends object>(domains: readonly CatalogDomain[], key: string, read: () => Promise<T>) => Promise<T>
  /**
   * Keeps records one by one, the same way: `read` is called once with the
   * keys this process holds nothing for, and answers one record (or null,
   * kept as well) per key. Absent where nothing may be kept.
   */
  rememberEach?: <T extends object>(
    domains: readonly CatalogDomain[],
    keys: readonly string[],
    read: (missing: readonly string[]) => Promise<readonly (T | null)[]>
  ) => Promise<(T | null)[]>
}
