import type { Knex } from "@medusajs/framework/mikro-orm/knex"
import type { MedusaContainer, RemoteQueryFunction } from "@medusajs/framework/types"
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
  /** The locale to show texts in (BCP 47, normalized: see locale.ts); the original texts without one. */
  locale?: string | null
  /** The request's container, where Medusa's Caching Module lives: without it, planned statements are not cached. */
  scope?: MedusaContainer
}
