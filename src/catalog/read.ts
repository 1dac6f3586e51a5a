import type { EntitySpec } from "./entities"
import { allOf, type Filters } from "./filters"
import { cursorOf, cutPage, keysetFilter, planPage, readOrder, type OrderArg, type PageArgs } from "./keyset"
import { buildConnection, type Connection } from "./page"
import { queryOptions } from "./read-cache"
import type { ReadContext } from "./read-context"
import { translateRecords } from "./translations"

/** What a read returns of each record: Query's fields, and Query's context (prices). */
export type Projection = { fields: string[]; context?: Record<string, unknown> }

export type PageRequest = PageArgs & { orderBy?: OrderArg }

/**
 * Reads one page of `spec` records that match `conditions` with a single
 * query.graph call whose fields are the projection's. The count rides along
 * (skip: 0) on a first page; after a cursor it is a second call, made
 * alongside, only when `totalCount` is asked for.
 */
export async function readPage<T extends { id: string }>(
  ctx: ReadContext,
  spec: EntitySpec,
  projection: Projection,
  args: PageRequest,
  conditions: Filters[],
  want: { totalCount: boolean }
): Promise<Connection<T>> {
  const plan = planPage(spec, args, args.orderBy)
  const fields = projection.fields.includes(plan.column) ? projection.fields : [...projection.fields, plan.column]

  const keyset: Filters[] = []
  if (plan.after) keyset.push(keysetFilter(plan, plan.after, "after"))
  if (plan.before) keyset.push(keysetFilter(plan, plan.before, "before"))
  const { column, direction } = readOrder(plan)
  const countAlong = want.totalCount && !keyset.length
  const [{ data, metadata }, countApart] = await Promise.all([
    ctx.query.graph(
      {
        entity: spec.entity,
        fields,
        filters: allOf([...conditions, ...keyset]),
        pagination: {
          take: plan.limit + 1,
          ...(countAlong ? { skip: 0 } : {}),
          order: { [column]: direction, id: direction },
        },
        ...(projection.context ? { context: projection.context } : {}),
      } as any,
      queryOptions(ctx.readCache, spec.typename)
    ),
    want.totalCount && !countAlong ? countRecords(ctx, spec, conditions) : undefined,
  ])
  const totalCount: number | undefined = countAlong ? metadata?.count : countApart
  const page = cutPage(plan, await translateRecords(ctx, data as T[]))
  return buildConnection(page.rows, (row) => cursorOf(spec, plan, row), page, totalCount)
}

/** The number of `spec` records that match the conditions. */
export async function countRecords(ctx: ReadContext, spec: EntitySpec, conditions: Filters[]): Promise<number> {
  const { metadata } = await ctx.query.graph(
    { entity: spec.entity, fields: ["id"], filters: allOf(conditions), pagination: { skip: 0, take: 1 } } as any,
    queryOptions(ctx.readCache, spec.typename)
  )
  return metadata?.count ?? 0
}

/** The `spec` records that match the conditions, with the projection's fields: one query.graph call. */
export async function readRecords<T extends { id: string }>(
  ctx: ReadContext,
  spec: EntitySpec,
  projection: Projection,
  conditions: Filters[]
): Promise<T[]> {
  const { data } = await ctx.query.graph(
    {
      entity: spec.entity,
      fields: projection.fields,
      filters: allOf(conditions),
      ...(projection.context ? { context: projection.context } : {}),
    } as any,
    queryOptions(ctx.readCache, spec.typename)
  )
  return translateRecords(ctx, data as T[])
}
