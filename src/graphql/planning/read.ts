import type { FieldNode, GraphQLResolveInfo } from "graphql"
import type { GraphQLContext } from "../context"
import { buildConnection, type Connection } from "./connection"
import { projectionFor, type EntitySpec } from "./entities"
import { allOf } from "./filters"
import {
  cursorOf,
  cutPage,
  keysetFilter,
  planPage,
  readOrder,
  type OrderArg,
  type PageArgs,
} from "./pagination"
import { readOptions } from "./read-cache"
import { connectionSelection, subSelection } from "./selection"

type Filters = Record<string, unknown>

/**
 * Reads one page of a connection with a single query.graph call whose fields
 * come from the selection. The count rides along (skip: 0) on a first page;
 * after a cursor it is a second call, made only when totalCount is selected.
 */
export async function readConnection<T extends { id: string }>(
  ctx: GraphQLContext,
  info: GraphQLResolveInfo,
  spec: EntitySpec,
  args: PageArgs & { orderBy?: OrderArg },
  conditions: Filters[]
): Promise<Connection<T>> {
  const plan = planPage(spec, args, args.orderBy)
  const selection = connectionSelection(info, info.fieldNodes, spec.typename)
  const { fields, context } = await projectionFor(ctx, spec, info, selection.node)
  if (!fields.includes(plan.column)) fields.push(plan.column)

  const base = allOf(conditions)
  const keyset: Filters[] = []
  if (plan.after) keyset.push(keysetFilter(plan, plan.after, "after"))
  if (plan.before) keyset.push(keysetFilter(plan, plan.before, "before"))
  const filters = allOf([...conditions, ...keyset])

  const { column, direction } = readOrder(plan)
  const countAlong = selection.totalCount && !keyset.length
  // After a cursor the count is a call of its own, made alongside the page.
  const [{ data, metadata }, countApart] = await Promise.all([
    ctx.query.graph({
      entity: spec.entity,
      fields,
      filters,
      ...(context ? { context } : {}),
      pagination: {
        take: plan.limit + 1,
        ...(countAlong ? { skip: 0 } : {}),
        order: { [column]: direction, id: direction },
      },
    } as any, readOptions(ctx.readCache, info, spec.typename)),
    selection.totalCount && !countAlong ? countRecords(ctx, info, spec, base) : undefined,
  ])
  const totalCount: number | undefined = countAlong ? metadata?.count : countApart

  const page = cutPage(plan, data as T[])
  return buildConnection(page.rows, (row) => cursorOf(spec, plan, row), page, totalCount)
}

/** The number of records that match the filters. */
export async function countRecords(ctx: GraphQLContext, info: GraphQLResolveInfo, spec: EntitySpec, filters: Filters) {
  const { metadata } = await ctx.query.graph({
    entity: spec.entity,
    fields: ["id"],
    filters,
    pagination: { skip: 0, take: 1 },
  } as any, readOptions(ctx.readCache, info, spec.typename))
  return metadata?.count ?? 0
}

/**
 * Reads the records that match `conditions`, with the fields the field nodes
 * select of `spec`'s type: one query.graph call.
 */
export async function readRecords<T extends { id: string }>(
  ctx: GraphQLContext,
  info: GraphQLResolveInfo,
  fieldNodes: readonly FieldNode[] | undefined,
  spec: EntitySpec,
  conditions: Filters[]
): Promise<T[]> {
  const selection = subSelection(info, fieldNodes, spec.typename)
  const { fields, context } = await projectionFor(ctx, spec, info, selection)
  const { data } = await ctx.query.graph({
    entity: spec.entity,
    fields,
    filters: allOf(conditions),
    ...(context ? { context } : {}),
  } as any, readOptions(ctx.readCache, info, spec.typename))
  return data as T[]
}
