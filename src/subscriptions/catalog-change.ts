import { ALL, TAGS } from "../cache/tags"

/**
 * What subscribers hear of one change: the tags the change table gave it
 * (cache/change-table.ts), read for what a subscription can act on. Sent
 * between instances as JSON.
 */
export type CatalogChangeMessage = {
  /** Every record the change names: products, brands, variants, categories, … (Medusa ids). */
  ids: string[]
  /** Prices changed that no record id names (price lists, regions). */
  prices: boolean
  /** Stock changed that no record id names (a channel's stock locations, inventory routes). */
  stock: boolean
  /** What publishable keys and sales channels allow changed. */
  access: boolean
  /** Anything may have changed (a writer the change table does not know). */
  all: boolean
}

const LIST_TAGS = new Set<string>(Object.values(TAGS))

export const isProductId = (id: string) => id.startsWith("prod_")
export const isBrandId = (id: string) => id.startsWith("brand_")

/**
 * The message a change's tags make; null when there is nothing a subscriber
 * can act on. A tag that is only a list (`products`, `brands`, `search`)
 * names no record: the writers that make such changes (a brand created
 * through GraphQL, a product created through REST) are followed by Medusa's
 * events, which name the records, so subscribers hear of them then.
 */
export function catalogChangeOf(tags: readonly string[]): CatalogChangeMessage | null {
  const ids = [...new Set(tags.filter((t) => t !== ALL && !LIST_TAGS.has(t)))]
  const message = {
    ids,
    prices: tags.includes(TAGS.prices),
    stock: tags.includes(TAGS.stock),
    access: tags.includes(TAGS.access),
    all: tags.includes(ALL),
  }
  return ids.length || message.prices || message.stock || message.access || message.all ? message : null
}

/** Several changes as one: what a stream that fell behind acts on at once. One is itself (see oncePerChange). */
export function mergeChanges(changes: readonly CatalogChangeMessage[]): CatalogChangeMessage {
  if (changes.length === 1) return changes[0]
  return {
    ids: [...new Set(changes.flatMap((c) => c.ids))],
    prices: changes.some((c) => c.prices),
    stock: changes.some((c) => c.stock),
    access: changes.some((c) => c.access),
    all: changes.some((c) => c.all),
  }
}
