import type { MedusaContainer } from "@medusajs/framework/types"
import { Modules, useCache } from "@medusajs/framework/utils"
import type { ReadContext } from "./read-context"

/** How catalog reads use Medusa's Caching Module (from src/lib/config.ts). */
export type ReadCacheSettings = { enabled: boolean; ttl: number }

/**
 * The entity names Medusa gives the links whose changes alter a product list
 * (`defineLink(...).entity`, and Medusa's product-sales channel link). A
 * link change invalidates `<entity>:list:*`; a link row has no id of its own
 * in a read, so reads that depend on links carry those tags.
 */
export const PRODUCT_BRAND_LINK_ENTITY = "LinkProductProductBrandBrand"
export const PRODUCT_SALES_CHANNEL_LINK_ENTITY = "LinkProductSalesChannel"

/**
 * Query options for a read of `entity` records. Reads are cached: Medusa
 * tags each entry with the records it holds (Product:<id>, Brand:<id>, …)
 * and drops it when one of them changes. The entity's list tag is added so
 * that an entry that holds no record yet (an empty page, a lookup that found
 * nothing, a zero count) is dropped when one is created; the links' list
 * tags, so that a link change drops it.
 */
export function queryOptions(settings: ReadCacheSettings, entity: "Product" | "Brand" | "ApiKey" | "SalesChannel") {
  if (!settings.enabled) return { cache: { enable: false } }
  return {
    cache: {
      enable: true,
      ttl: settings.ttl,
      tags: [
        `${entity}:list:*`,
        `${PRODUCT_BRAND_LINK_ENTITY}:list:*`,
        `${PRODUCT_SALES_CHANNEL_LINK_ENTITY}:list:*`,
      ],
      computeAutomaticTags: true,
    },
  }
}

/**
 * The result of a planned statement (the ids of a page, a count), read
 * through the same cache as Query's product reads, with the same tags: so
 * the entry is dropped by the same changes (any product, or a link of a
 * product to a brand or a sales channel), and lives at most the same TTL.
 * `key` must name everything the result depends on: the statement, the
 * caller's visibility, the filter and the page. Without the cache (an admin's
 * `Cache-Control: no-cache`, a mutation, QUERY_CACHE=false) it runs `read`.
 */
export function cachedPlannedRead<T extends object>(
  ctx: Pick<ReadContext, "readCache" | "scope">,
  key: unknown[],
  read: () => Promise<T>
): Promise<T> {
  const { cache } = queryOptions(ctx.readCache, "Product")
  if (!cache.enable || !ctx.scope) return read()
  return useCache(read, { enable: true, key: ["catalog:planned", ...key], tags: cache.tags, ttl: cache.ttl, container: ctx.scope })
}

/**
 * Drops every cached read that depends on product–brand links, at once.
 * Medusa drops them too, when the link's events are handled; but that can
 * be after the write that changed the link has answered, and a read sent
 * right after it (on any instance: the cache is shared through Redis) was
 * then answered from the old entry. Brand link changes call this before
 * they return.
 */
export async function dropCachedProductBrandReads(container: MedusaContainer): Promise<void> {
  const caching = container.resolve(Modules.CACHING, { allowUnregistered: true }) as
    | { clear(options: { tags: string[] }): Promise<void> }
    | undefined
  await caching?.clear({ tags: [`${PRODUCT_BRAND_LINK_ENTITY}:list:*`] })
}

/**
 * Query, for Medusa's functions that read through it and ask for its cache
 * (stock availability, translations): under the answer cache (readCache
 * off) they read the database, since Query's entries are dropped only once
 * a change's events are handled, after the write has answered, and a read in
 * between would keep the old data. Query's other methods stay as they are.
 */
export function queryUnderReadCache(ctx: Pick<ReadContext, "query" | "readCache">): ReadContext["query"] {
  const { query, readCache } = ctx
  const graph = (queryConfig: unknown, options?: { cache?: Record<string, unknown> }) =>
    query.graph(queryConfig as any, {
      ...options,
      cache: readCache.enabled ? { ...options?.cache, enable: true, ttl: readCache.ttl } : { enable: false },
    } as any)
  return Object.assign(Object.create(query), { graph })
}
