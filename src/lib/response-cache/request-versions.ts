import { CATALOG_DOMAINS, type CatalogDomain } from "./catalog-domains"
import type { CatalogVersions } from "./catalog-versions"

/** The versions of every catalog domain, as one request read them. */
export type VersionSnapshot = ReadonlyMap<CatalogDomain, string>

const snapshots = new WeakMap<object, Promise<VersionSnapshot>>()

/**
 * The catalog versions `request` works under: read once, the first time
 * anything of the request asks (before it reads any data), and the same for
 * everything the request keeps or looks up afterwards: its answer's key, and
 * the records it takes from a versioned memo. A read that races a write is
 * then kept, whole, under the versions from before the write's bump. Rejects
 * while the versions are out of reach (Redis down); the request then keeps
 * nothing and finds nothing.
 */
export function requestVersions(request: object, versions: CatalogVersions): Promise<VersionSnapshot> {
  let snapshot = snapshots.get(request)
  if (!snapshot) {
    snapshot = Promise.resolve()
      .then(() => versions.read(CATALOG_DOMAINS))
      .then((joined) => {
        const values = joined.split(".")
        return new Map(CATALOG_DOMAINS.map((domain, i) => [domain, values[i]]))
      })
    // Handled where it is awaited; this keeps an unawaited rejection quiet.
    snapshot.catch(() => {})
    snapshots.set(request, snapshot)
  }
  return snapshot
}

/** The part of a snapshot that `domains` make up, as one string for a key. */
export function versionsOf(snapshot: VersionSnapshot, domains: readonly CatalogDomain[]): string {
  return domains.map((domain) => snapshot.get(domain)).join(".")
}
