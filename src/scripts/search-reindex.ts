import type { ExecArgs } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"

/**
 * `npm run search:reindex`: rebuilds the search indexes from the database.
 * The default "swap" strategy fills a new version and switches to it when
 * done, so searches keep answering from the old one meanwhile. Pass an index
 * name to rebuild only that one (`npm run search:reindex -- product`).
 */
export default async function searchReindex({ container, args }: ExecArgs) {
  const logger = container.resolve("logger")
  const search = container.resolve(Modules.SEARCH) as any
  const index = args?.length ? args : undefined
  const started = Date.now()
  const result = await search.reindex({ index })
  logger.info(`[search:reindex] rebuilt ${result.indexes.join(", ")} in ${Date.now() - started} ms`)
}
