import type { Caller } from "./caller"
import { queryOptions, type ReadCacheSettings } from "./read-cache"
import type { ReadContext } from "./read-context"

type ApiKeyRecord = { id: string; revoked_at: Date | string | null; sales_channels_link?: { sales_channel_id: string }[] }

/**
 * The caller a publishable API key makes, as Medusa's store routes decide it:
 * no key, or a key that is unknown, not publishable, revoked or linked to no
 * sales channel, reads nothing; a valid key reads the sales channels linked
 * to it, or every channel when the store has at most one. Both look-ups are
 * cached like other reads (a revoked key or a changed link drops their
 * entries). `validUntil`: when a key whose revocation is set for a later
 * moment stops being valid (null otherwise).
 */
export async function storefrontAccess(
  query: ReadContext["query"],
  token: string | undefined,
  readCache: ReadCacheSettings
): Promise<{ caller: Caller; validUntil: Date | null }> {
  if (!token) return { caller: { kind: "none", reason: "PUBLISHABLE_KEY_REQUIRED" }, validUntil: null }
  const [{ data: keys }, { metadata }] = await Promise.all([
    query.graph(
      {
        entity: "api_key",
        fields: ["id", "revoked_at", "sales_channels_link.sales_channel_id"],
        filters: { token, type: "publishable" },
      } as any,
      withTags(queryOptions(readCache, "ApiKey"), "LinkPublishableApiKeySalesChannel:list:*")
    ),
    query.graph(
      { entity: "sales_channel", fields: ["id"], pagination: { skip: 0, take: 1 } } as any,
      queryOptions(readCache, "SalesChannel")
    ),
  ])
  const key = keys[0] as ApiKeyRecord | undefined
  const channelIds = (key?.sales_channels_link ?? []).map((l) => l.sales_channel_id)
  const revokedAt = key?.revoked_at ? new Date(key.revoked_at) : null
  // Medusa's store routes refuse a key without a sales channel, too.
  if (!key || (revokedAt && revokedAt <= new Date()) || !channelIds.length) {
    return { caller: { kind: "none", reason: "PUBLISHABLE_KEY_INVALID" }, validUntil: null }
  }
  const storeHasOneChannel = (metadata?.count ?? 0) <= 1
  return {
    caller: { kind: "storefront", salesChannelIds: storeHasOneChannel ? null : channelIds, keyChannelIds: channelIds },
    validUntil: revokedAt,
  }
}

function withTags<T extends { cache: Record<string, unknown> }>(options: T, tag: string): T {
  const tags = options.cache.tags as string[] | undefined
  return tags ? { ...options, cache: { ...options.cache, tags: [...tags, tag] } } : options
}
