import { loadAppConfig } from "../config"
import { CATALOG_DOMAINS, type CatalogDomain } from "./catalog-domains"
import { failFastRedis } from "../fail-fast-redis"
import { MemoryCatalogVersions, RedisCatalogVersions, type CatalogVersions } from "./catalog-versions"
import { memoryAnswerStore, redisAnswerStore, type AnswerStore } from "./response-store"

type Logger = { warn: (message: string) => void }

export type ResponseCacheSettings = ReturnType<typeof loadAppConfig>["responseCache"]

/** The response cache of this process: its settings, the catalog versions and the store of answers. */
export type ResponseCacheRuntime = {
  settings: ResponseCacheSettings
  versions: CatalogVersions
  store: AnswerStore
}

let runtime: ResponseCacheRuntime | null | undefined

/**
 * The process's response cache, built on first use from the settings
 * (RESPONSE_CACHE*, REDIS_URL); null when it is turned off. The GraphQL
 * server, the admin write fence and the event subscriber share it, so that
 * a bump from any of them reaches the answers the server keeps.
 */
export function responseCacheRuntime(): ResponseCacheRuntime | null {
  if (runtime !== undefined) return runtime
  const { responseCache: settings, redisUrl } = loadAppConfig()
  if (!settings.enabled) return (runtime = null)
  if (redisUrl) {
    const client = failFastRedis(redisUrl, settings.redisPrefix)
    runtime = { settings, versions: new RedisCatalogVersions(client), store: redisAnswerStore(client, settings) }
  } else {
    runtime = { settings, versions: new MemoryCatalogVersions(), store: memoryAnswerStore(settings) }
  }
  return runtime
}

/**
 * Makes every cached answer that read one of `domains` unreachable. A
 * failure (Redis out of reach) is logged and not thrown: the change it
 * follows is already made, and answers expire after their TTL.
 */
export async function bumpCatalogVersions(
  domains: readonly CatalogDomain[] = CATALOG_DOMAINS,
  logger?: Logger
): Promise<void> {
  const cache = responseCacheRuntime()
  if (!cache || !domains.length) return
  try {
    await cache.versions.bump(domains)
  } catch (error) {
    logger?.warn(`Response cache: could not drop answers after a change (${(error as Error).message}); they expire after their TTL.`)
  }
}
