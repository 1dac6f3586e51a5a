import type { Caller } from "../catalog/caller"
import type { ReadContext } from "../catalog/read-context"
import { storefrontAccess } from "../catalog/storefront"
import type { CatalogChangeMessage } from "./catalog-change"
import { oncePerChange } from "./once-per-change"

/**
 * What a publishable key allows now, read past every cache, once per change
 * for all the streams of this process that hold the key (see
 * oncePerChange): a revoked key, or one left without sales channels, makes a
 * caller who reads nothing.
 */
export function currentCaller(query: ReadContext["query"], token: string | undefined, change: CatalogChangeMessage): Promise<Caller> {
  return oncePerChange(change, `caller:${token ?? ""}`, async () => {
    const { caller } = await storefrontAccess(query, token, { enabled: false, ttl: 0 })
    return caller
  })
}
