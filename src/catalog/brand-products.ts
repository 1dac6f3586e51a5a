import type { Knex } from "@medusajs/framework/mikro-orm/knex"
import { PRODUCT_ENTITY } from "./entities"
import { idSet } from "./filters"
import { cursorOf, cutPage, planPage, applySqlKeyset, readOrder, sqlOrder, type PagePlan } from "./keyset"
import { buildConnection, type Connection } from "./page"
import { prepareProductFilter, visibleProducts, type ProductFilter, type ProductFilterInput } from "./product-filter"
import { LINK_TABLE, loadProducts } from "./product-sql"
import type { PageRequest, Projection } from "./read"
import { cachedPlannedRead } from "./read-cache"
import type { ReadContext } from "./read-context"
import type { ProductRecord } from "./records"

export type BrandProductsRequest = PageRequest & { filter?: ProductFilterInput | null }

/**
 * The first page of products of each of `brandIds`, all at once. Query has
 * no per-parent limit, so planned statements pick the first `limit + 1`
 * product ids of each brand (pickPerBrand). A count per brand runs
 * alongside, only when asked for. Then one query.graph call loads the picked
 * products. The pick and the counts are cached like Query's reads.
 */
export async function readBrandProducts(
  ctx: ReadContext,
  projection: Projection,
  brandIds: readonly string[],
  args: BrandProductsRequest,
  want: { totalCount: boolean }
): Promise<Connection<ProductRecord>[]> {
  const plan = planPage(PRODUCT_ENTITY, args, args.orderBy)
  const filter = await prepareProductFilter(ctx, args.filter)
  const [picked, counts] = await Promise.all([
    pickPerBrand(ctx, [...brandIds], filter, plan),
    want.totalCount ? countPerBrand(ctx, [...brandIds], filter) : null,
  ])
  const byId = await loadProducts(ctx, projection, plan, [...new Set(picked.map((r) => r.id))])
  const idsByBrand = new Map<string, string[]>()
  for (const { brand_id, id } of picked) {
    const ids = idsByBrand.get(brand_id)
    if (ids) ids.push(id)
    else idsByBrand.set(brand_id, [id])
  }

  return brandIds.map((brandId) => {
    const rows = (idsByBrand.get(brandId) ?? []).map((id) => byId.get(id)).filter((p): p is ProductRecord => !!p)
    const page = cutPage(plan, rows)
    return buildConnection(
      page.rows,
      (row) => cursorOf(PRODUCT_ENTITY, plan, row),
      page,
      counts ? counts.get(brandId) ?? 0 : undefined
    )
  })
}

/** The brands' visible products that match the filter, joined to their live link rows as `l`. */
function linkedProducts(ctx: ReadContext, filter: ProductFilter) {
  const q = visibleProducts(ctx, filter).join(`${LINK_TABLE} as l`, "l.product_id", "p.id").whereNull("l.deleted_at")
  const only = idSet(filter.brandId)
  if (only) q.whereIn("l.brand_id", only)
  // Every product here has a brand: hasBrand: false leaves none.
  if (filter.hasBrand === false) q.whereRaw("false")
  return q
}

/**
 * The statement that picks each brand's page. For every brand id, a LATERAL
 * subquery walks that brand's live links (the link table's brand_id index),
 * looks each product up by primary key with the visibility, filter and
 * cursor applied, and keeps the first `limit + 1` with a top-N sort. The
 * product lookup is its own LATERAL behind OFFSET 0, so that PostgreSQL does
 * not flatten it into a hash join that reads the whole product table once
 * per brand. Rows read: the links of the brands on the page, not the
 * catalog. Exported for EXPLAIN (npm run bench:explain).
 */
export function perBrandPageStatement(ctx: ReadContext, brandIds: string[], filter: ProductFilter, plan: PagePlan) {
  const { db } = ctx
  const { direction } = readOrder(plan)
  const key = plan.isDate ? `date_trunc('milliseconds', p.${plan.column})` : `p.${plan.column}`
  const product = applySqlKeyset(visibleProducts(ctx, filter), plan, "p")
    .whereRaw("p.id = l.product_id")
    .select("p.id", db.raw(`${key} as k`))
  const links = db(`${LINK_TABLE} as l`)
    .whereRaw("l.brand_id = b.brand_id")
    .whereNull("l.deleted_at")
    .joinRaw("cross join lateral (? offset 0) as p", [product as unknown as Knex.Raw])
    .select("p.id", "p.k")
    .orderByRaw(`p.k ${direction}, p.id ${direction}`)
    .limit(plan.limit + 1)
  const only = idSet(filter.brandId)
  if (only) links.whereIn("l.brand_id", only)
  // Every product here has a brand: hasBrand: false leaves none.
  if (filter.hasBrand === false) links.whereRaw("false")
  return db.raw(
    `select b.brand_id, x.id from unnest(?::text[]) as b(brand_id)
     cross join lateral (?) as x
     order by b.brand_id, x.k ${direction}, x.id ${direction}`,
    [brandIds, links]
  )
}

type Picked = { brand_id: string; id: string }

/**
 * Picks each brand's page. Through the brands' links (perBrandPageStatement)
 * a brand costs a product lookup per product it has: thousands in a large
 * catalog. So, in title order, one statement first asks for the brands'
 * products in the page's order, all brands together, up to `walkMatches`
 * rows: PostgreSQL can then walk the title index from the cursor on and look
 * each product up in the link table, stopping once it has that many (reading
 * about as many products as the page needs, not as the brands have), or, when
 * the brands' links are few, read those and sort them, whichever its
 * statistics say is cheaper. A brand that has not filled its page among
 * those rows (one with far fewer products than the others) is then picked
 * through its links, where that is cheap. In the date orders the links are
 * read at once: they compare timestamps at millisecond precision, which no
 * index holds.
 */
export async function pickPerBrand(ctx: ReadContext, brandIds: string[], filter: ProductFilter, plan: PagePlan): Promise<Picked[]> {
  const { picked } = await cachedPlannedRead(ctx, ["brand-products-page", ctx.caller, filter, plan, brandIds], async () => {
    let pending = brandIds
    const picked: Picked[] = []
    if (canWalk(filter, plan) && brandIds.length) {
      const matches = walkMatches(plan.limit, brandIds.length)
      const rows: Picked[] = await walkPageStatement(ctx, brandIds, filter, plan, matches)
      const found = new Map<string, string[]>()
      for (const { brand_id, id } of rows) {
        const ids = found.get(brand_id)
        if (ids) ids.push(id)
        else found.set(brand_id, [id])
      }
      // Fewer rows than asked for: the walk reached the end, and what it did not find does not exist.
      const complete = rows.length < matches
      pending = []
      for (const brandId of brandIds) {
        const ids = found.get(brandId) ?? []
        if (complete || ids.length > plan.limit) {
          for (const id of ids.slice(0, plan.limit + 1)) picked.push({ brand_id: brandId, id })
        } else pending.push(brandId)
      }
    }
    if (pending.length) picked.push(...((await perBrandPageStatement(ctx, pending, filter, plan)).rows as Picked[]))
    return { picked }
  })
  return picked
}

/**
 * Rows the walk asks for: three pages' worth per brand, so that brands of
 * about the same size all fill their page (one that holds a third of the
 * average share or less may not, and falls back to its links).
 */
export function walkMatches(limit: number, brands: number): number {
  return 3 * (limit + 1) * brands
}

/**
 * Whether a page can be walked: in title order (the date orders compare
 * timestamps at millisecond precision, which no index holds), and not
 * restricted by brand (brandId, hasBrand), which the links decide.
 */
export function canWalk(filter: ProductFilter, plan: PagePlan): boolean {
  return !plan.isDate && idSet(filter.brandId) == null && filter.hasBrand == null
}

/**
 * The walk: the brands' visible products that match the filter, after the
 * cursor, in the page's order, at most `matches` of them. Exported for
 * EXPLAIN (npm run bench:explain).
 */
export function walkPageStatement(ctx: ReadContext, brandIds: string[], filter: ProductFilter, plan: PagePlan, matches: number) {
  return applySqlKeyset(visibleProducts(ctx, filter), plan, "p")
    .join(`${LINK_TABLE} as l`, "l.product_id", "p.id")
    .whereNull("l.deleted_at")
    .whereIn("l.brand_id", brandIds)
    .select("l.brand_id", "p.id")
    .orderByRaw(sqlOrder(plan, "p"))
    .limit(matches)
}

async function countPerBrand(ctx: ReadContext, brandIds: string[], filter: ProductFilter): Promise<Map<string, number>> {
  const { counts } = await cachedPlannedRead(ctx, ["brand-products-count", ctx.caller, filter, brandIds], async () => {
    const rows: { brand_id: string; count: string }[] = await linkedProducts(ctx, filter)
      .whereIn("l.brand_id", brandIds)
      .select("l.brand_id")
      .count("* as count")
      .groupBy("l.brand_id")
    return { counts: rows.map((r) => [r.brand_id, Number(r.count)] as [string, number]) }
  })
  return new Map(counts)
}
