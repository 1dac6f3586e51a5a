import type { MedusaContainer } from "@medusajs/framework/types"
import type { Knex } from "@medusajs/framework/mikro-orm/knex"
import { ContainerRegistrationKeys, generateEntityId, Modules } from "@medusajs/framework/utils"
import { dropCachedProductBrandReads, PRODUCT_BRAND_LINK_ENTITY } from "../../catalog/read-cache"
import { LINK_TABLE } from "../../catalog/product-sql"
import { assertRecordsExist } from "./ensure-records-exist"

/** A product's brand before a change: what a compensation puts back. */
export type ProductBrandState = { product_id: string; brand_id: string | null }

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
 * Puts each product into the given state, all products in one database
 * transaction: the live link a product has is soft-deleted and the wanted one
 * inserted (or a soft-deleted row for the same pair made live again) before
 * anything commits. A process that dies at any point leaves each product with
 * its old brand or its new one, never none and never two (the unique index
 * IDX_product_brand_one_live_per_product refuses a second live row).
 *
 * The statements go to the link table directly: Medusa's link service runs
 * a dismiss and a create in two transactions of their own and takes no
 * transaction from outside. The link's events are emitted as Medusa's link
 * module emits them, once the transaction has committed.
 */
export async function applyProductBrands(
  container: MedusaContainer,
  wanted: ProductBrandState[]
): Promise<void> {
  if (!wanted.length) return
  const db: Knex = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
  const changed = await db.transaction((trx) => replaceProductBrands(trx, wanted))
  if (!changed.attached.length && !changed.detached.length) return
  await emitLinkEvents(container, changed)
  await dropCachedProductBrandReads(container)
}

/** The link rows a replace soft-deleted and made live. */
export type LinkChanges = { detached: string[]; attached: string[] }

/**
 * The replace itself, inside the caller's transaction. Each product's change
 * first takes a transaction-scoped advisory lock on the product (in one
 * order, so that two replaces never wait on each other in a circle), so that
 * concurrent changes of one product run one after the other; PostgreSQL
 * releases the lock at commit, at rollback, and when the session dies.
 */
export async function replaceProductBrands(trx: Knex.Transaction, wanted: ProductBrandState[]): Promise<LinkChanges> {
  const last = new Map(wanted.map((w) => [w.product_id, w.brand_id]))
  const productIds = [...last.keys()].sort()
  for (const id of productIds) {
    await trx.raw("select pg_advisory_xact_lock(hashtextextended(?, 0))", [`product-brand:${id}`])
  }
  const { rows: live } = await trx.raw(
    `select product_id, brand_id from ${LINK_TABLE} where product_id = any(?) and deleted_at is null`,
    [productIds]
  )
  const toDismiss = (live as { product_id: string; brand_id: string }[]).filter(
    (l) => last.get(l.product_id) !== l.brand_id
  )
  const toLink = productIds
    .map((product_id) => ({ product_id, brand_id: last.get(product_id) ?? null }))
    .filter(
      (w): w is { product_id: string; brand_id: string } =>
        !!w.brand_id && !live.some((l: ProductBrandState) => l.product_id === w.product_id && l.brand_id === w.brand_id)
    )

  const changes: LinkChanges = { detached: [], attached: [] }
  if (toDismiss.length) {
    const { rows } = await trx.raw(
      `update ${LINK_TABLE} as l set deleted_at = now(), updated_at = now()
         from unnest(?::text[], ?::text[]) as d(product_id, brand_id)
        where l.product_id = d.product_id and l.brand_id = d.brand_id and l.deleted_at is null
        returning l.id`,
      [toDismiss.map((l) => l.product_id), toDismiss.map((l) => l.brand_id)]
    )
    changes.detached = rows.map((r: { id: string }) => r.id)
  }
  if (toLink.length) {
    // A pair linked before keeps its row (the primary key is the pair): it is made live again.
    const { rows } = await trx.raw(
      `insert into ${LINK_TABLE} (id, product_id, brand_id, created_at, updated_at, deleted_at)
       select id, product_id, brand_id, now(), now(), null
         from unnest(?::text[], ?::text[], ?::text[]) as d(id, product_id, brand_id)
       on conflict (product_id, brand_id) do update set deleted_at = null, updated_at = now()
       returning id`,
      [toLink.map(() => generateEntityId(undefined, "link")), toLink.map((w) => w.product_id), toLink.map((w) => w.brand_id)]
    )
    changes.attached = rows.map((r: { id: string }) => r.id)
  }
  return changes
}

/**
 * The link's `.attached` and `.detached` events, one per row, shaped as the
 * link module shapes them (the row's id as data): the search index and the
 * caches follow a brand change through them.
 */
async function emitLinkEvents(container: MedusaContainer, { attached, detached }: LinkChanges) {
  const eventBus = container.resolve(Modules.EVENT_BUS)
  const message = (id: string, action: "attached" | "detached") => ({
    name: `${PRODUCT_BRAND_LINK_ENTITY}.${action}`,
    data: { id },
    metadata: { source: PRODUCT_BRAND_LINK_ENTITY, object: PRODUCT_BRAND_LINK_ENTITY, action },
  })
  await eventBus.emit(
    [...detached.map((id) => message(id, "detached")), ...attached.map((id) => message(id, "attached"))],
    { internal: true }
  )
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
 * Runs `job` while holding a lock per product and per brand named, so that a
 * brand cannot be deleted while a product is being linked to it, and a
 * deletion's reading of a brand's links and dismissing them is not crossed by
 * a product moving to another brand (a deletion spans two modules'
 * transactions; one product's brand is kept whole by the database, see
 * applyProductBrands). Keys are taken one
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
