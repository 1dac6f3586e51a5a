import { assertCanRead } from "./visibility"
import { BRAND_ENTITY } from "./entities"
import { assertValidFilter, idConditions, textConditions, type Filters, type IdMatch, type TextMatch } from "./filters"
import type { Connection } from "./page"
import { readPage, readRecords, type PageRequest, type Projection } from "./read"
import type { ReadContext } from "./read-context"
import type { BrandRecord } from "./records"

export type BrandFilterInput = { id?: IdMatch | null; name?: TextMatch | null; handle?: TextMatch | null }

function brandConditions(filter: BrandFilterInput | null | undefined): Filters[] {
  assertValidFilter(filter)
  return [
    ...idConditions("id", filter?.id),
    ...textConditions("name", filter?.name),
    ...textConditions("handle", filter?.handle),
  ]
}

/** A page of brands. Brands are not kept to sales channels: every caller who may read sees them all. */
export function readBrandPage(
  ctx: ReadContext,
  projection: Projection,
  args: PageRequest & { filter?: BrandFilterInput | null },
  want: { totalCount: boolean }
): Promise<Connection<BrandRecord>> {
  assertCanRead(ctx.caller)
  return readPage<BrandRecord>(ctx, BRAND_ENTITY, projection, args, brandConditions(args.filter), want)
}

/** Brands by id or handle (whichever are given; both must match). */
export function readBrands(
  ctx: ReadContext,
  projection: Projection,
  where: { ids?: readonly string[]; handle?: string }
): Promise<BrandRecord[]> {
  assertCanRead(ctx.caller)
  const conditions: Filters[] = []
  if (where.ids) conditions.push({ id: { $in: [...where.ids] } })
  if (where.handle != null) conditions.push({ handle: where.handle })
  return readRecords<BrandRecord>(ctx, BRAND_ENTITY, projection, conditions)
}
