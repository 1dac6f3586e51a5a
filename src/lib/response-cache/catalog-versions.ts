import type Redis from "ioredis"
import { assertReady } from "../fail-fast-redis"
import { CATALOG_DOMAINS, type CatalogDomain } from "./catalog-domains"

/**
 * A counter per catalog domain. A cached answer's key holds the versions of
 * the domains it read, taken before it was read; a bump makes every such key
 * unreachable at once, on every instance that shares the versions. Taking
 * the versions first is what keeps a read that raced a write from being
 * found later: it was stored under the versions from before the bump.
 */
export interface CatalogVersions {
  /** The versions of `domains`, as one string for a cache key. */
  read(domains: readonly CatalogDomain[]): string | Promise<string>
  bump(domains: readonly CatalogDomain[]): Promise<void>
}

/** Versions of one process (no REDIS_URL: one process serves and handles events). */
export class MemoryCatalogVersions implements CatalogVersions {
  private readonly counters = new Map<CatalogDomain, number>(CATALOG_DOMAINS.map((d) => [d, 0]))

  read(domains: readonly CatalogDomain[]): string {
    return domains.map((d) => this.counters.get(d)).join(".")
  }

  async bump(domains: readonly CatalogDomain[]): Promise<void> {
    for (const d of domains) this.counters.set(d, this.counters.get(d)! + 1)
  }
}

/**
 * Versions in Redis, under `prefix`: every server and worker sees a bump at
 * its next read. Commands fail fast while Redis is out of reach (the caller
 * then answers without the cache).
 */
export class RedisCatalogVersions implements CatalogVersions {
  constructor(private readonly client: Redis) {}

  async read(domains: readonly CatalogDomain[]): Promise<string> {
    assertReady(this.client)
    const values = await this.client.mget(domains.map(versionKey))
    return values.map((v) => v ?? "0").join(".")
  }

  async bump(domains: readonly CatalogDomain[]): Promise<void> {
    if (!domains.length) return
    assertReady(this.client)
    const pipeline = this.client.pipeline()
    for (const d of domains) pipeline.incr(versionKey(d))
    const results = await pipeline.exec()
    const failed = results?.find(([error]) => error)
    if (failed) throw failed[0]
  }
}

const versionKey = (domain: CatalogDomain) => `v:${domain}`
