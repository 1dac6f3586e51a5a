import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { BRAND_MODULE } from "../../modules/brand"
import { dropCachedProductBrandReads } from "../../catalog/read-cache"
import { assertRecordsExist } from "./ensure-records-exist"

/** A product's brand before a change: what a compensation puts back. */
export type ProductBrandState = { product_id: string; brand_id: string | null }

const linkOf = (product_id: string, brand_id: string) => ({
  [Modules.PRODUCT]: { product_id },
  [BRAND_MODULE]: { brand_id },
})

/** The live brand of each given product (null when it has none). */
export async function readProductBrands(
  container: MedusaContainer,
  productIds: string[]
): Promise<ProductBrandState[]> {
  if (!productIds.length) return []
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "product_brand",
    fields: ["product_id", "brand_id"],
    filters: { product_id: productIds },
  })
  const current = new Map<string, string>(data.map((l: any) => [l.product_id, l.brand_id]))
  return productIds.map((product_id) => ({ product_id, brand_id: current.get(product_id) ?? null }))
}

/**
 * Puts each product into the given state: dismisses the link it has, then
 * links the wanted brand. A product has at most one brand, so replacing is
 * always dismiss-then-create. If creating fails, the dismissed links are
 * created again before the error goes on.
 */
export async function applyProductBrands(
  container: MedusaContainer,
  wanted: ProductBrandState[]
): Promise<void> {
  const link = container.resolve(ContainerRegistrationKeys.LINK)
  const before = await readProductBrands(
    container,
    wanted.map((w) => w.product_id)
  )
  const wantedBy = new Map(wanted.map((w) => [w.product_id, w.brand_id]))
  const toDismiss = before.filter(
    (b) => b.brand_id && wantedBy.get(b.product_id) !== b.brand_id
  )
  const toCreate = wanted.filter(
    (w) => w.brand_id && before.find((b) => b.product_id === w.product_id)?.brand_id !== w.brand_id
  )

  if (toDismiss.length) {
    await link.dismiss(toDismiss.map((b) => linkOf(b.product_id, b.brand_id!)))
  }
  try {
    if (toCreate.length) {
      await link.create(toCreate.map((w) => linkOf(w.product_id, w.brand_id!)))
    }
  } catch (error) {
    if (toDismiss.length) {
      await link.create(toDismiss.map((b) => linkOf(b.product_id, b.brand_id!)))
    }
    throw error
  } finally {
    if (toDismiss.length || toCreate.length) await dropCachedProductBrandReads(container)
  }
}

/** Longest a brand change waits for its locks, in all. */
const LOCK_WAIT_SECONDS = 30

/**
 * How long a lock outlives a process that died holding it. Medusa renews a
 * lock while its job runs, so this bounds only how long a crashed process
 * keeps others (and the compensation of its own workflow) waiting.
 */
const LOCK_EXPIRE_SECONDS = 10

/**
 * Runs `job` while holding a lock per product and per brand named, so that
 * concurrent brand changes of one product happen one after another (the link
 * table itself does not stop a second live link for a product), and a brand
 * cannot be deleted while a product is being linked to it. Keys are taken one
 * at a time in one sorted order (brands before products), so that no two jobs
 * can each hold a key the other waits for: Medusa's Redis locking provider
 * takes the keys of one call all at once, each as soon as it is free, and two
 * calls that share keys could each end up holding part of the other's.
 */
export async function withBrandLocks<T>(
  container: MedusaContainer,
  { productIds = [], brandIds = [] }: { productIds?: string[]; brandIds?: (string | null)[] },
  job: () => Promise<T>
): Promise<T> {
  const locking = container.resolve(Modules.LOCKING)
  const keys = [
    ...productIds.map((id) => `product-brand:${id}`),
    ...brandIds.filter((id): id is string => !!id).map((id) => `brand:${id}`),
  ]
  const ordered = [...new Set(keys)].sort()
  const deadline = Date.now() + LOCK_WAIT_SECONDS * 1000
  const holding = (i: number): Promise<T> => {
    if (i === ordered.length) return job()
    // Whole seconds left of the wait (the provider's unit), at least one.
    const timeout = Math.max(1, Math.ceil((deadline - Date.now()) / 1000))
    return locking.execute(ordered[i], () => holding(i + 1), { timeout, expire: LOCK_EXPIRE_SECONDS })
  }
  return await holding(0)
}

/**
 * Changes the brands of products under their locks; returns the state before.
 * The brands are checked again under the lock: one deleted since the caller
 * checked it fails with NOT_FOUND on `brandField` instead of being linked.
 */
export async function changeProductBrands(
  container: MedusaContainer,
  wanted: ProductBrandState[],
  brandField = "brandId"
): Promise<ProductBrandState[]> {
  const productIds = wanted.map((w) => w.product_id)
  const brandIds = wanted.map((w) => w.brand_id)
  return await withBrandLocks(container, { productIds, brandIds }, async () => {
    const ids = brandIds.filter((id): id is string => !!id)
    await assertRecordsExist(container, { entity: "brand", ids, field: brandField })
    const before = await readProductBrands(container, productIds)
    await applyProductBrands(container, wanted)
    return before
  })
}

/**
 * Compensation for changeProductBrands: the products get their old brands
 * back, unless an old brand has been deleted since (no link to a deleted
 * brand is ever made: the product is left without one).
 */
export async function restoreProductBrands(
  container: MedusaContainer,
  before: ProductBrandState[] | undefined
): Promise<void> {
  if (!before?.length) return
  const productIds = before.map((b) => b.product_id)
  const brandIds = before.map((b) => b.brand_id)
  await withBrandLocks(container, { productIds, brandIds }, async () => {
    const live = await liveBrandIds(container, brandIds)
    const restorable = before.map((b) => ({ ...b, brand_id: b.brand_id && live.has(b.brand_id) ? b.brand_id : null }))
    await applyProductBrands(container, restorable)
  })
}

/** Which of the ids name live brands. */
async function liveBrandIds(container: MedusaContainer, ids: (string | null)[]): Promise<Set<string>> {
  const wanted = [...new Set(ids.filter((id): id is string => !!id))]
  if (!wanted.length) return new Set()
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({ entity: "brand", fields: ["id"], filters: { id: wanted } })
  return new Set(data.map((b: { id: string }) => b.id))
}
