import { randomUUID } from "node:crypto"
import { LRUCache } from "lru-cache"
import { ALL, type AnswerStore, type Ticket } from "./answer-store"

/**
 * Answers in this process's memory (no REDIS_URL: one process serves and
 * handles events), at most `maxBytes` of them, the least recently used
 * dropped first. The tag index holds only keys of live entries, and the log
 * of purges only the last `maxReadMs`, so memory is bounded by the settings,
 * not by the catalog.
 */
export function memoryAnswerStore(options: { maxBytes: number; maxEntryBytes: number; maxReadMs: number }): AnswerStore {
  const epoch = randomUUID()
  const byTag = new Map<string, Set<string>>()
  const entries = new LRUCache<string, { json: string; tags: readonly string[] }>({
    maxSize: options.maxBytes,
    maxEntrySize: options.maxEntryBytes,
    sizeCalculation: (entry) => Buffer.byteLength(entry.json),
    dispose: (entry, key) => {
      for (const tag of entry.tags) {
        const keys = byTag.get(tag)
        keys?.delete(key)
        if (keys?.size === 0) byTag.delete(tag)
      }
    },
  })
  let seq = 0
  const purges: { seq: number; at: number; tags: ReadonlySet<string> }[] = []

  return {
    async begin(): Promise<Ticket> {
      return { epoch, seq, at: Date.now() }
    },
    async get(key) {
      return entries.get(key)?.json
    },
    async set(key, json, tags, ttlMs, ticket) {
      if (ticket.epoch !== epoch || Date.now() - ticket.at > options.maxReadMs) return false
      const all = [...tags, ALL]
      for (const purge of purges) {
        if (purge.seq > ticket.seq && all.some((tag) => purge.tags.has(tag))) return false
      }
      entries.set(key, { json, tags: all }, { ttl: ttlMs })
      if (!entries.has(key)) return false
      for (const tag of all) {
        let keys = byTag.get(tag)
        if (!keys) byTag.set(tag, (keys = new Set()))
        keys.add(key)
      }
      return true
    },
    async purge(tags) {
      const now = Date.now()
      purges.push({ seq: ++seq, at: now, tags: new Set(tags) })
      while (purges.length && now - purges[0].at > options.maxReadMs) purges.shift()
      for (const tag of tags) for (const key of [...(byTag.get(tag) ?? [])]) entries.delete(key)
    },
  }
}
