import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { BRAND_MODULE } from "../modules/brand"
import type BrandModuleService from "../modules/brand/service"
import { dismissLinksOfDeletedBrands } from "../workflows/steps/delete-brands"

// Half-done deletions only follow a killed process, so a look a minute finds
// them soon enough, while costing two queries per 500 deleted brands.
const REPAIR_INTERVAL_MS = 60_000

/** Deleted brands looked up at a time. */
const PAGE = 500

/**
 * Finishes brand deletions that a dead process left half-done.
 *
 * A brand deletion runs in the process that was asked for it (a server) and
 * changes two modules one after the other: the brand, then its product
 * links. Medusa's workflow engines resume or compensate a run after a crash
 * only through the timeouts and retries of async steps, which it has none
 * of; a process killed between the two changes leaves a deleted brand with
 * live links, and nothing picks the run up again. Such links are what the
 * deletion was about to dismiss, so this job (on workers, and on a shared
 * process once it restarts) dismisses them, every minute (REPAIR_INTERVAL_MS).
 * A deletion that is still running holds the brand's lock, and leaves nothing
 * to do once it has.
 */
export default async function finishBrandDeletions(container: MedusaContainer) {
  const brands: BrandModuleService = container.resolve(BRAND_MODULE)
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const halfDone = new Set<string>()
  for (let skip = 0; ; skip += PAGE) {
    const deleted = await brands.listBrands(
      { deleted_at: { $ne: null } },
      { withDeleted: true, select: ["id"], order: { id: "ASC" }, skip, take: PAGE }
    )
    if (!deleted.length) break
    const { data } = await query.graph({
      entity: "product_brand",
      fields: ["brand_id"],
      filters: { brand_id: deleted.map((b) => b.id) },
    })
    data.forEach((l: { brand_id: string }) => halfDone.add(l.brand_id))
    if (deleted.length < PAGE) break
  }
  if (!halfDone.size) return
  const finished = await dismissLinksOfDeletedBrands(container, [...halfDone])
  if (finished.length) {
    logger.warn(`Finished ${finished.length} brand deletion(s) left half-done: dismissed the live links of ${finished.join(", ")}.`)
  }
}

export const config = {
  name: "finish-brand-deletions",
  schedule: { interval: REPAIR_INTERVAL_MS },
}
