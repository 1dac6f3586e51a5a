import { Repeater } from "graphql-yoga"
import { changedProductsFor } from "../../catalog/visibility"
import { isBrandId, isProductId } from "../../subscriptions/catalog-change"
import { ChangeInbox } from "../../subscriptions/change-inbox"
import { oncePerChange } from "../../subscriptions/once-per-change"
import type { GraphQLContext } from "../context"
import type { Logger } from "../mask-errors"
import { ACCESS_ENDED, recheckCaller, type LiveEvent } from "./live-record"

export type CatalogChangeEvent = { productIds: string[]; brandIds: string[] }

/**
 * The ids each change names, for revalidating pages: products as
 * changedProductsFor allows the caller to hear of them (one statement per
 * change and sales channels, shared by the streams of this process), and
 * brands, which every caller sees. A change that names none sends nothing.
 */
export function catalogChanges(ctx: GraphQLContext, logger?: Logger): AsyncIterable<LiveEvent<CatalogChangeEvent>> {
  const inbox = new ChangeInbox()
  return new Repeater<LiveEvent<CatalogChangeEvent>>(async (push, stop) => {
    void stop.then(() => inbox.close())
    loop: for (let changes = await inbox.next(); changes; changes = await inbox.next()) {
      for (const change of changes) {
        let event: CatalogChangeEvent
        try {
          if ((await recheckCaller(ctx, change)) === "ended") {
            await push(ACCESS_ENDED)
            break loop
          }
          const named = change.ids.filter(isProductId)
          const productIds = named.length
            ? await oncePerChange(change, `products:${JSON.stringify(ctx.caller)}`, () => changedProductsFor(ctx.db, ctx.caller, named))
            : []
          event = { productIds, brandIds: change.ids.filter(isBrandId) }
        } catch (error) {
          logger?.warn(`Subscriptions: a change could not be read (${(error as Error).message}).`)
          continue
        }
        if (event.productIds.length || event.brandIds.length) await push(event)
      }
    }
    inbox.close()
    stop()
  })
}
