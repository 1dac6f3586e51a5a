import { createHash } from "node:crypto"
import { ALL } from "./tags"

/**
 * The surrogate keys an HTTP cache (Varnish's xkey, a CDN's Surrogate-Key or
 * Cache-Tag) files a public answer under, and the keys a change purges there.
 * They are the answer cache's tags (answer-tags.ts, change-table.ts), so that
 * one rule drops an answer in the app and at the edge alike.
 */

/**
 * Largest key list an answer sends, in bytes: well under Varnish's default
 * limit of one response header (8 KB), Fastly's Surrogate-Key (16 KB) and
 * Cloudflare's Cache-Tag (16 KB in all).
 */
export const MAX_ANSWER_KEY_BYTES = 4096

/** Keys are space-separated header tokens; anything else is sent as a digest. */
const TOKEN = /^[A-Za-z0-9_.:-]{1,128}$/

/** A Medusa id (`prod_01J…`, `variant_01J…`, `brand_01J…`): its kind is what comes before the ULID. */
const MEDUSA_ID = /^([a-z]+(?:_[a-z]+)?)_[0-9A-Z]{26}$/

/** The key of one tag. */
export function surrogateKey(tag: string): string {
  return TOKEN.test(tag) ? tag : `h:${createHash("sha256").update(tag).digest("base64url").slice(0, 22)}`
}

/**
 * The key of every record of one kind (`kind:prod`): what an answer holding
 * too many ids to name is filed under instead, and what every purge of such
 * an id purges too.
 */
function kindKey(tag: string): string | undefined {
  const kind = MEDUSA_ID.exec(tag)?.[1]
  return kind ? `kind:${kind}` : undefined
}

const bytesOf = (keys: string[]) => keys.reduce((sum, key) => sum + key.length + 1, 0)

/**
 * The keys a public answer is filed under: its tags, and `all`. When they
 * would not fit in MAX_ANSWER_KEY_BYTES, its record ids give way to the keys
 * of their kinds (`kind:prod`, `kind:variant`, …); when even those do not
 * fit, null: the answer is not public.
 */
export function answerKeys(tags: Iterable<string>, maxBytes = MAX_ANSWER_KEY_BYTES): string[] | null {
  const all = [ALL, ...tags]
  const exact = [...new Set(all.map(surrogateKey))]
  if (bytesOf(exact) <= maxBytes) return exact
  const coarse = [...new Set(all.map((tag) => kindKey(tag) ?? surrogateKey(tag)))]
  return bytesOf(coarse) <= maxBytes ? coarse : null
}

/** The keys a change of `tags` purges: each tag's key, and the kind of each record id. */
export function purgeKeys(tags: readonly string[]): string[] {
  if (tags.includes(ALL)) return [ALL]
  const keys = new Set<string>()
  for (const tag of tags) {
    keys.add(surrogateKey(tag))
    const kind = kindKey(tag)
    if (kind) keys.add(kind)
  }
  return [...keys]
}
