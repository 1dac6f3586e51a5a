import type { ExecArgs } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { PRODUCT_SEARCH_INDEX } from "../search/product-index-names"
import { seedDemoData } from "./demo-data"

/**
 * `npm run seed`: demo brands, products and an admin user (idempotent).
 * On a new database the product search index has no active version until
 * it has been filled once, and the module drops the events meant for it
 * until then: filling it first (cheap while the catalog is empty) lets the
 * seed's own events index the demo products as they are created.
 */
export default async function seed({ container }: ExecArgs) {
  const search = container.resolve(Modules.SEARCH, { allowUnregistered: true }) as
    | { reindex(input: { index: string }): Promise<unknown> }
    | undefined
  await search?.reindex({ index: PRODUCT_SEARCH_INDEX })
  await seedDemoData(container)
}
