import type { MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { PRODUCT_SEARCH_INDEX } from "../../src/search/product-index-names"

/**
 * Fills the search indexes from the database, as `npm run search:reindex`
 * does. The test runner builds the indexes but the boot-time seed does not
 * fill them there, and until an index has an active version the module
 * drops the events meant for it; after this, events keep it current.
 */
export async function reindexSearch(container: MedusaContainer): Promise<void> {
  const search = container.resolve(Modules.SEARCH) as { reindex(input: { index?: string }): Promise<unknown> }
  await search.reindex({ index: PRODUCT_SEARCH_INDEX })
}


/**
 * Calls `read` until `done` holds of its answer or `timeoutMs` passes; returns
 * the last answer and how long it took. For a change that reaches the search
 * index through events, after the write has returned.
 */
export async function waitFor<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 10_000,
  intervalMs = 50
): Promise<{ value: T; ms: number }> {
  const started = Date.now()
  for (;;) {
    const value = await read()
    const ms = Date.now() - started
    if (done(value) || ms >= timeoutMs) return { value, ms }
    await new Promise((resolve) => setTimeout(resolve, intervalMs))
  }
}
