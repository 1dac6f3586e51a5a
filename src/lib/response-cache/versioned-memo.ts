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
  private readonly entries: LRUCache<string, Promise<V | null>>

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
    const prefix = await this.prefixOf(request, domains)
    if (prefix === null) return compute()
    const entryKey = prefix + key
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

  /**
   * The values of many keys at once, for `request`, each kept on its own:
   * those this process holds under the request's versions are taken from
   * it, and `compute` is called once, with the keys held nowhere (in their
   * order), for the rest. `compute` answers with one value per key it was
   * given, `null` for a key that has none; a `null` is kept too, so that a
   * key read and found absent is not read again. Concurrent calls that miss
   * the same key share one computation.
   */
  async getEach(
    request: object,
    domains: readonly CatalogDomain[],
    keys: readonly string[],
    compute: (missing: readonly string[]) => Promise<readonly (V | null)[]>
  ): Promise<(V | null)[]> {
    const prefix = await this.prefixOf(request, domains)
    if (prefix === null) return [...(await compute(keys))]
    const found = keys.map((key) => this.entries.get(prefix + key))
    const missing = [...new Set(keys.filter((_, i) => !found[i]))]
    if (missing.length) {
      const computing = compute(missing)
      const computed = new Map(
        missing.map((key, i) => {
          const entryKey = prefix + key
          const value = computing.then((values) => values[i] ?? null)
          this.entries.set(entryKey, value)
          value.catch(() => {
            if (this.entries.get(entryKey) === value) this.entries.delete(entryKey)
          })
          return [key, value]
        })
      )
      keys.forEach((key, i) => (found[i] ??= computed.get(key)))
    }
    return Promise.all(found as Promise<V | null>[])
  }

  /** What the keys of `domains` begin with under the request's versions; null while the versions are out of reach. */
  private async prefixOf(request: object, domains: readonly CatalogDomain[]): Promise<string | null> {
    try {
      return `${domains.join(",")}\u0000${versionsOf(await requestVersions(request, this.versions), domains)}\u0000`
    } catch {
      return null
    }
  }
}
