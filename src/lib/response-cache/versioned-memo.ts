import { LRUCache } from "lru-cache"
import type { CatalogDomain } from "./catalog-domains"
import type { CatalogVersions } from "./catalog-versions"
import { requestVersions, versionsOf } from "./request-versions"

/**
 * Values read from the catalog, kept in this process under the versions of
 * the domains they depend on, as the request that reads them took those
 * versions (see requestVersions): a bump makes them unreachable, as it does
 * cached answers, on every instance that shares the versions. Concurrent
 * reads of one key share one computation. Values are shared between
 * requests: callers must not change them.
 */
export class VersionedMemo<V extends object> {
  private readonly entries: LRUCache<string, Promise<V>>

  constructor(
    private readonly versions: CatalogVersions,
    options: { max: number; ttlMs: number }
  ) {
    this.entries = new LRUCache({ max: options.max, ttl: options.ttlMs })
  }

  /**
   * The value of `key`, which depends on `domains`, for `request`: computed
   * by `compute` when this process holds none under the request's versions.
   * `keep` says whether a computed value may be kept (a value that changes
   * with time alone may not). Without the versions (Redis out of reach), it
   * computes and keeps nothing.
   */
  async get<T extends V>(
    request: object,
    domains: readonly CatalogDomain[],
    key: string,
    compute: () => Promise<T>,
    keep: (value: T) => boolean = () => true
  ): Promise<T> {
    let version: string
    try {
      version = versionsOf(await requestVersions(request, this.versions), domains)
    } catch {
      return compute()
    }
    const entryKey = `${domains.join(",")}\u0000${version}\u0000${key}`
    const found = this.entries.get(entryKey) as Promise<T> | undefined
    if (found) return found
    const computing = compute()
    this.entries.set(entryKey, computing)
    const forget = () => {
      if (this.entries.get(entryKey) === computing) this.entries.delete(entryKey)
    }
    computing.then((value) => !keep(value) && forget(), forget)
    return computing
  }
}
