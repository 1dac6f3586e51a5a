import type { ExecArgs } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { Caller } from "../catalog/caller"
import { completeWord, correctQuery } from "../catalog/search-dictionary"
import { PRODUCT_SEARCH_INDEX } from "../lib/search-index"

const RUNS = 50

/**
 * `npm run bench:suggestions` times the dictionary's statements with this
 * (`medusa exec … [channel id]`): the completion of a two- and a five-letter
 * prefix and the correction of a misspelt word, one after another, as the
 * catalog runs them for a storefront of the given channel (every published
 * product without one). Prints one JSON line of medians in milliseconds.
 */
export default async function benchDictionary({ container, args }: ExecArgs) {
  const caller: Caller = { kind: "storefront", salesChannelIds: args?.[0] ? [args[0]] : null, keyChannelIds: args?.[0] ? [args[0]] : [] }
  const ctx = { db: container.resolve(ContainerRegistrationKeys.PG_CONNECTION), caller, scope: container }
  const cases: Record<string, () => Promise<unknown>> = {
    complete2: () => completeWord(ctx, PRODUCT_SEARCH_INDEX, "ke", 5),
    complete5: () => completeWord(ctx, PRODUCT_SEARCH_INDEX, "kettl", 5),
    correct1: () => correctQuery(ctx, PRODUCT_SEARCH_INDEX, "ketle"),
    correct2: () => correctQuery(ctx, PRODUCT_SEARCH_INDEX, "clasic bakpack"),
  }
  const medians: Record<string, number> = {}
  for (const [name, run] of Object.entries(cases)) {
    await run()
    const times: number[] = []
    for (let i = 0; i < RUNS; i++) {
      const started = performance.now()
      await run()
      times.push(performance.now() - started)
    }
    times.sort((a, b) => a - b)
    medians[name] = Math.round(times[Math.floor(times.length / 2)] * 100) / 100
  }
  console.log(`bench-dictionary ${JSON.stringify({ ...medians, corrected: [await cases.correct1(), await cases.correct2()] })}`)
}
