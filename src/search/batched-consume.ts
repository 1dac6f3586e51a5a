import type { SearchTypes } from "@medusajs/framework/types"
import type { SearchConsumeEvent } from "@medusajs/framework/utils"

export type Query = SearchTypes.SearchIngestionContext["container"]["query"]
type Mutation = SearchTypes.SearchMutation

export type BatchedConsumeOptions<Row> = {
  /** The entity the index holds, read back with `fields`. */
  entity: string
  fields: string[]
  /** Documents for the rows read; a row without a document is deleted from the index. */
  transform: (rows: Row[], query: Query) => Promise<Record<string, unknown>[]> | Record<string, unknown>[]
  /**
   * The entity ids each event touches, for a whole batch at once (one list
   * per event, in order), so that a batch of link or variant events costs one
   * lookup per kind rather than one per event.
   */
  resolveIds: (events: SearchConsumeEvent[], query: Query) => Promise<string[][]>
  /** How long a batch stays open for more events after its first, in ms (0: the current tick only). */
  windowMs: number
  /** Most entity ids read back (and written) in one go. */
  chunkSize: number
}

type Waiting = {
  event: SearchConsumeEvent
  query: Query
  resolve: (mutations: Mutation[]) => void
  reject: (error: unknown) => void
}

/**
 * A `consume` for a search index that re-reads what events touched in
 * batches: the events that arrive while a batch is open are resolved to ids
 * together, their rows are read with one `query.graph` call per chunk, and
 * each id is written once.
 *
 * One create of a product with its variants, channels and brand emits a
 * dozen events for the same product; a bulk import emits thousands. Read one
 * by one (as `graphConsume` does) each event costs a full read and a write.
 *
 * Each id of a batch is written by the first event that named it, and that
 * event is acknowledged only once the write is done (the Search Module
 * writes what `consume` returns before it acknowledges); the other events
 * that named it return nothing for it. If the owner's write fails, its
 * redelivery reads the id again. An id read after every event that named it
 * was emitted holds their changes, whichever came first.
 */
export function batchedConsume<Row extends { id: string }>(options: BatchedConsumeOptions<Row>) {
  let open: Waiting[] | null = null

  async function flush(batch: Waiting[]): Promise<void> {
    try {
      const query = batch[0].query
      const idsPerEvent = await options.resolveIds(
        batch.map((w) => w.event),
        query
      )
      const owner = new Map<string, number>()
      idsPerEvent.forEach((ids, i) => ids.forEach((id) => owner.has(id) || owner.set(id, i)))

      const documents = new Map<string, Record<string, unknown>>()
      const ids = [...owner.keys()]
      for (let start = 0; start < ids.length; start += options.chunkSize) {
        const { data } = await query.graph({
          entity: options.entity,
          fields: options.fields.includes("id") ? options.fields : ["id", ...options.fields],
          filters: { id: ids.slice(start, start + options.chunkSize) },
        } as any)
        for (const document of await options.transform(data as Row[], query)) documents.set(String(document.id), document)
      }

      batch.forEach((waiting, i) => {
        const mine = ids.filter((id) => owner.get(id) === i)
        const upserts = mine.filter((id) => documents.has(id)).map((id) => documents.get(id)!)
        const deletes = mine.filter((id) => !documents.has(id))
        const mutations: Mutation[] = []
        for (let start = 0; start < upserts.length; start += options.chunkSize) {
          mutations.push({ action: "upsert", documents: upserts.slice(start, start + options.chunkSize) } as Mutation)
        }
        if (deletes.length) mutations.push({ action: "delete", filters: { id: deletes } } as Mutation)
        waiting.resolve(mutations)
      })
    } catch (error) {
      for (const waiting of batch) waiting.reject(error)
    }
  }

  return function consume(event: SearchConsumeEvent, context: SearchTypes.SearchIngestionContext): Promise<Mutation[]> {
    return new Promise<Mutation[]>((resolve, reject) => {
      const waiting = { event, query: context.container.query, resolve, reject }
      if (open) {
        open.push(waiting)
        return
      }
      const batch = (open = [waiting])
      const close = () => {
        if (open === batch) open = null
        void flush(batch)
      }
      if (options.windowMs > 0) setTimeout(close, options.windowMs)
      else setImmediate(close)
    })
  }
}
