import type { GraphQLResolveInfo } from "graphql"

/** How GraphQL reads use Medusa's Caching Module (from src/lib/config.ts). */
export type ReadCacheSettings = { enabled: boolean; ttl: number }

/**
 * The entity name Medusa gives the product-brand link (`defineLink(...).entity`).
 * Attaching or detaching a link invalidates `<entity>:list:*`; a link row has
 * no id of its own in a read, so reads that depend on links carry that tag.
 */
export const PRODUCT_BRAND_LINK_ENTITY = "LinkProductProductBrandBrand"

/**
 * Query options for a read of `entity` records made while resolving `info`.
 * Queries are cached: Medusa tags each entry with the records it holds
 * (Product:<id>, Brand:<id>, …) and drops it when one of them changes. The
 * entity's list tag is added so that an entry that holds no record yet (an
 * empty page, a lookup that found nothing, a zero count) is dropped when one
 * is created; the link's list tag, so that a link change drops it. Mutations
 * never read from the cache: their payload must show what they just wrote,
 * even before the change's events have been handled.
 */
export function readOptions(settings: ReadCacheSettings, info: GraphQLResolveInfo, entity: "Product" | "Brand") {
  if (!settings.enabled || info.operation.operation !== "query") return { cache: { enable: false } }
  return {
    cache: {
      enable: true,
      ttl: settings.ttl,
      tags: [`${entity}:list:*`, `${PRODUCT_BRAND_LINK_ENTITY}:list:*`],
      computeAutomaticTags: true,
    },
  }
}
