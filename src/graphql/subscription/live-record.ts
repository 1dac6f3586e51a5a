import { Repeater } from "graphql-yoga"
import { mergeChanges, type CatalogChangeMessage } from "../../subscriptions/catalog-change"
import { ChangeInbox } from "../../subscriptions/change-inbox"
import { currentCaller } from "../../subscriptions/current-caller"
import { oncePerChange } from "../../subscriptions/once-per-change"
import type { GraphQLContext } from "../context"
import type { Logger } from "../mask-errors"
import { createLoaders } from "../planning/loaders"

/** Marks the last event of a stream whose caller may no longer read: its field resolves to this error. */
export const ACCESS_ENDED = Symbol("accessEnded")

/** What a stream sends: an event, or its caller's end. */
export type LiveEvent<E> = E | typeof ACCESS_ENDED

/** The ids of the records a read holds: the product, its brand, variants, categories, … */
function heldIds(record: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(record)) record.forEach((r) => heldIds(r, into))
  else if (record && typeof record === "object") {
    for (const [key, value] of Object.entries(record)) {
      if (key === "id" && typeof value === "string") into.add(value)
      else heldIds(value, into)
    }
  }
  return into
}

/**
 * Checks the stream's caller again when access changed: "ended" when it may
 * no longer read (a revoked key), "changed" when its key now allows other
 * sales channels (the stream reads with those from now on), else "same".
 */
export async function recheckCaller(ctx: GraphQLContext, change: CatalogChangeMessage): Promise<"ended" | "changed" | "same"> {
  if (!change.access || ctx.isAdmin) return "same"
  const caller = await currentCaller(ctx.query, ctx.publishableKey, change)
  if (caller.kind === "none") return "ended"
  if (JSON.stringify(caller) === JSON.stringify(ctx.caller)) return "same"
  ctx.caller = caller
  return "changed"
}

/**
 * A stream of one record (a product, a brand) as the caller may see it.
 * The record is read when the stream opens, and again after each change
 * that names a record it holds (or prices, when it shows them; the sales
 * channels its key allows; or anything, for a writer the change table does
 * not know). An event goes out
 * only when the read differs from the last: a change announced twice (when
 * the write answers, and when its events are handled) sends one, and a
 * change to a related record the selection does not show sends none. A
 * selection that shows stock gets an event for each change that can move
 * it, even when the record reads the same. While the record is not
 * visible nothing goes out; once it was, `event(null)` is the last event.
 * A caller whose key is revoked gets ACCESS_ENDED, and the stream ends.
 */
export async function liveRecord<R extends { id: string }, E>(
  ctx: GraphQLContext,
  options: {
    id: string
    read: () => Promise<R | null>
    /** What the read depends on besides the caller (the record's id, the projection): streams that share it share the read. */
    readKey: string
    /** Whether the read asks for prices: a change to prices that names no record reads it again. */
    readsPrices: boolean
    /**
     * Whether the selection shows stock, which fields of their own read
     * apart from the record: a change to the stock of what the record holds
     * sends an event even when the record reads the same.
     */
    showsStock: boolean
    event: (record: R | null) => E
    logger?: Logger
  }
): Promise<AsyncIterable<LiveEvent<E>>> {
  // Open before the first read, so that no change after it is missed.
  const inbox = new ChangeInbox()
  let record: R | null
  try {
    record = await options.read()
  } catch (error) {
    inbox.close()
    throw error
  }
  return new Repeater<LiveEvent<E>>(async (push, stop) => {
    void stop.then(() => inbox.close())
    let json = record ? JSON.stringify(record) : null
    let stockChanged = false
    let held = heldIds(record ?? { id: options.id })
    for (let changes = await inbox.next(); changes; changes = await inbox.next()) {
      const change = mergeChanges(changes)
      try {
        const access = await recheckCaller(ctx, change)
        if (access === "ended") {
          await push(ACCESS_ENDED)
          break
        }
        const named = change.ids.some((id) => held.has(id))
        stockChanged = options.showsStock && (change.stock || named)
        const concerned = change.all || access === "changed" || (change.prices && options.readsPrices) || named || stockChanged
        if (!concerned) continue
        // Loaders keep what they read: each event reads afresh.
        ctx.loaders = createLoaders(ctx)
        // Streams of this process that follow the same record with the same
        // selection, for the same sales channels, read it once per change.
        record = await oncePerChange(change, `${options.readKey}|${JSON.stringify(ctx.caller)}`, options.read)
      } catch (error) {
        // The next change reads again; the stream stays open.
        options.logger?.warn(`Subscriptions: a read after a change failed (${(error as Error).message}).`)
        continue
      }
      const next = record ? JSON.stringify(record) : null
      if (next === json && !(record && stockChanged)) continue
      json = next
      if (!record) {
        await push(options.event(null))
        break
      }
      held = heldIds(record)
      await push(options.event(record))
    }
    inbox.close()
    stop()
  })
}
