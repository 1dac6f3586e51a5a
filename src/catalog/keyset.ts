import type { Knex } from "@medusajs/framework/mikro-orm/knex"
import { decodeCursor, encodeCursor, type CursorData } from "./cursor"
import type { EntitySpec } from "./entities"
import { CatalogInputError } from "./errors"
import { storedField } from "./translations"

export const DEFAULT_PAGE_SIZE = 20
export const MAX_PAGE_SIZE = 100

/**
 * Whether a cursor's date is one the server could have issued: written as
 * Date#toISOString writes it, a real calendar date (no February 30th), from
 * year 1 (PostgreSQL has no year 0) up to a millisecond before year 10000
 * (a date cursor stands for its millisecond, so the next one must be
 * writable too). Anything else would fail in SQL instead of as bad input.
 */
export function isCursorDate(value: string): boolean {
  const date = new Date(value)
  return (
    !Number.isNaN(date.getTime()) &&
    date.toISOString() === value &&
    date.getTime() >= FIRST_DATE &&
    date.getTime() < LAST_DATE
  )
}

const FIRST_DATE = Date.parse("0001-01-01T00:00:00.000Z")
const LAST_DATE = Date.parse("9999-12-31T23:59:59.999Z")

export type PageArgs = {
  first?: number | null
  after?: string | null
  last?: number | null
  before?: string | null
}

export type OrderArg = { field: string; direction?: "ASC" | "DESC" | null } | null | undefined

export type Direction = "ASC" | "DESC"

/** A validated page request: how many, which way, from where. */
export type PagePlan = {
  limit: number
  /** Paging with last/before: read in reverse order, then flip. */
  backward: boolean
  after?: CursorData
  before?: CursorData
  orderField: string
  column: string
  direction: Direction
  isDate: boolean
}

export function planPage(spec: EntitySpec, args: PageArgs, orderBy: OrderArg): PagePlan {
  const { first, last } = args
  if (first != null && last != null) {
    throw new CatalogInputError('Give "first" or "last", not both.', "last")
  }
  for (const [name, value] of [["first", first], ["last", last]] as const) {
    if (value != null && (value < 0 || value > MAX_PAGE_SIZE)) {
      throw new CatalogInputError(`"${name}" must be between 0 and ${MAX_PAGE_SIZE}; got ${value}.`, name)
    }
  }
  const order = orderBy ?? spec.defaultOrder
  const column = spec.orderColumns[order.field]
  const isDate = spec.dateColumns.has(column)
  const expected = { type: spec.typename, field: order.field }
  const readCursor = (name: "after" | "before") => {
    const raw = args[name]
    if (raw == null) return undefined
    const cursor = decodeCursor(raw, expected, name)
    if (isDate && !isCursorDate(cursor.value)) {
      throw new CatalogInputError(`"${name}" is not a valid cursor.`, name)
    }
    return cursor
  }
  return {
    limit: last ?? first ?? DEFAULT_PAGE_SIZE,
    backward: last != null,
    after: readCursor("after"),
    before: readCursor("before"),
    orderField: order.field,
    column,
    direction: order.direction ?? "ASC",
    isDate,
  }
}

/** The cursor of a row read under this plan. */
export function cursorOf(spec: EntitySpec, plan: PagePlan, row: Record<string, any>): string {
  // Pages follow the stored text, whatever locale the record is shown in.
  const raw = storedField(row, plan.column)
  const value = raw instanceof Date ? raw.toISOString() : String(raw)
  return encodeCursor({ type: spec.typename, field: plan.orderField, value, id: row.id })
}

/** The order in which to read: reversed when paging backward. */
export function readOrder(plan: PagePlan): { column: string; direction: Direction } {
  const flip = (d: Direction): Direction => (d === "ASC" ? "DESC" : "ASC")
  return { column: plan.column, direction: plan.backward ? flip(plan.direction) : plan.direction }
}

/**
 * Query filters for "strictly after `cursor` in (column dir, id dir) order"
 * (`side` "before" flips it). Timestamps come back from Query at millisecond
 * precision while PostgreSQL keeps microseconds, so a date cursor stands for
 * its whole millisecond, and rows within it are taken in id order. Query
 * orders by the stored value, so this holds for timestamps Medusa writes
 * (whole milliseconds); rows stamped with sub-millisecond times from outside
 * Medusa that share a millisecond could be paged out of order. The planned
 * statements (product-sql.ts) truncate to milliseconds and are exact.
 */
export function keysetFilter(plan: PagePlan, cursor: CursorData, side: "after" | "before") {
  const forward = (plan.direction === "ASC") === (side === "after")
  const cmp = forward ? "$gt" : "$lt"
  if (!plan.isDate) {
    return {
      $or: [
        { [plan.column]: { [cmp]: cursor.value } },
        { [plan.column]: cursor.value, id: { [cmp]: cursor.id } },
      ],
    }
  }
  const start = new Date(cursor.value)
  const end = new Date(start.getTime() + 1)
  return {
    $or: [
      { [plan.column]: forward ? { $gte: end } : { $lt: start } },
      { [plan.column]: { $gte: start, $lt: end }, id: { [cmp]: cursor.id } },
    ],
  }
}

/**
 * Cuts the rows read (limit + 1 at most) to the page, in the requested order,
 * and says whether more lie beyond.
 */
export function cutPage<T>(plan: PagePlan, rows: T[]) {
  const hasMore = rows.length > plan.limit
  const page = rows.slice(0, plan.limit)
  if (plan.backward) page.reverse()
  return {
    rows: page,
    hasNextPage: plan.backward ? plan.before != null : hasMore,
    hasPreviousPage: plan.backward ? hasMore : plan.after != null,
  }
}

/**
 * The order key of a planned statement over `alias`: timestamps are compared
 * at the millisecond precision that cursors carry.
 */
function sqlKey(plan: PagePlan, alias: string): string {
  return plan.isDate ? `date_trunc('milliseconds', ${alias}.${plan.column})` : `${alias}.${plan.column}`
}

/** Adds "strictly after/before the plan's cursors" to a planned statement over `alias`. */
export function applySqlKeyset(q: Knex.QueryBuilder, plan: PagePlan, alias: string): Knex.QueryBuilder {
  for (const [cursor, side] of [[plan.after, "after"], [plan.before, "before"]] as const) {
    if (!cursor) continue
    const forward = (plan.direction === "ASC") === (side === "after")
    const value = plan.isDate ? new Date(cursor.value) : cursor.value
    q.whereRaw(`(${sqlKey(plan, alias)}, ${alias}.id) ${forward ? ">" : "<"} (?, ?)`, [value, cursor.id])
  }
  return q
}

/** ORDER BY of a planned statement over `alias`, reversed when paging backward. */
export function sqlOrder(plan: PagePlan, alias: string): string {
  const { direction } = readOrder(plan)
  return `${sqlKey(plan, alias)} ${direction}, ${alias}.id ${direction}`
}
