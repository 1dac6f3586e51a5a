import { loadAppConfig } from "../lib/config"
import { recordHttpCachePurge } from "../lib/metrics"
import { purgeKeys } from "./surrogate-keys"

type Logger = { warn: (message: string) => void }

/** The request header that carries the keys to purge (deploy/varnish/default.vcl reads it). */
export const PURGE_KEYS_HEADER = "xkey-purge"

/** Keys per PURGE request, in bytes of header: under Varnish's default limit of one request header (8 KB). */
const MAX_PURGE_HEADER_BYTES = 4096

/** Longest a write waits on one HTTP cache before it answers regardless (and logs it). */
const PURGE_TIMEOUT_MS = 2000

let purgeUrls: string[] | undefined

/**
 * Purges the answers HTTP caches keep under the keys of `tags` (see
 * surrogate-keys.ts): one `PURGE` per Varnish of HTTP_CACHE_PURGE_URL, keys
 * space-separated in `xkey-purge`. Called by purgeAnswers after the app's own
 * store is purged, so that what the HTTP cache fetches next is fresh; a
 * failure is logged, not thrown (the change is made; answers expire after
 * HTTP_CACHE_MAX_AGE).
 */
export async function purgeEdge(tags: readonly string[], logger?: Logger): Promise<void> {
  purgeUrls ??= loadAppConfig().httpCache.purgeUrls
  if (!purgeUrls.length || !tags.length) return
  const batches = batchesOf(purgeKeys(tags))
  await Promise.all(
    purgeUrls.flatMap((url) =>
      batches.map(async (keys) => {
        try {
          const res = await fetch(url, {
            method: "PURGE",
            headers: { [PURGE_KEYS_HEADER]: keys },
            signal: AbortSignal.timeout(PURGE_TIMEOUT_MS),
          })
          await res.arrayBuffer()
          if (!res.ok) throw new Error(`HTTP ${res.status}`)
          recordHttpCachePurge(true)
        } catch (error) {
          recordHttpCachePurge(false)
          logger?.warn(`HTTP cache: could not purge ${url} after a change (${(error as Error).message}); its answers expire after HTTP_CACHE_MAX_AGE.`)
        }
      })
    )
  )
}

/** Keys joined by spaces, in headers of at most MAX_PURGE_HEADER_BYTES. */
function batchesOf(keys: string[]): string[] {
  const batches: string[] = []
  let current = ""
  for (const key of keys) {
    if (current && current.length + 1 + key.length > MAX_PURGE_HEADER_BYTES) {
      batches.push(current)
      current = ""
    }
    current = current ? `${current} ${key}` : key
  }
  if (current) batches.push(current)
  return batches
}
