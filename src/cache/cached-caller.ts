import { createHash } from "node:crypto"
import type { Caller } from "../catalog/caller"
import type { ResponseCacheRuntime } from "./runtime"
import { TAGS } from "./tags"

/** What a publishable key makes of its caller, and until when (a key revoked for a later moment). */
export type KeyLookup = { caller: Caller; validUntil: Date | null }

/**
 * The caller a publishable key makes, kept in the answer store beside the
 * answers, under the `access` tag that key and sales channel changes purge,
 * and never past the moment the key's revocation takes effect. Each request
 * needs it before anything else (even a cached answer is for one key's
 * sales channels); reading it takes two statements.
 */
export async function cachedCaller(
  runtime: ResponseCacheRuntime | null,
  token: string,
  lookup: () => Promise<KeyLookup>
): Promise<Caller> {
  if (!runtime) return (await lookup()).caller
  const { store, settings } = runtime
  const key = `caller:${createHash("sha256").update(token).digest("base64url")}`
  let ticket
  try {
    const found = await store.get(key)
    if (found !== undefined) return JSON.parse(found) as Caller
    ticket = await store.begin()
  } catch {
    return (await lookup()).caller
  }
  const { caller, validUntil } = await lookup()
  const ttlMs = Math.min(settings.ttlSeconds * 1000, validUntil ? validUntil.getTime() - Date.now() : Infinity)
  if (ttlMs > 0) await store.set(key, JSON.stringify(caller), [TAGS.access], ttlMs, ticket).catch(() => false)
  return caller
}
