import type { CodeColumn } from "./code-column"

/** What the keyword replica knows of an index field (the provider's plan). */
export type PlannedField = {
  path: string
  kind: string
  is_array: boolean
  is_date?: boolean
  field?: { filterable?: unknown; sortable?: unknown; facetable?: unknown }
}

/** A document's indexed values, as the provider stores them in its `indexed` column. */
export type IndexedValues = Record<string, unknown>

/** A test of one document, by its position in the replica. */
export type DocumentPredicate = (doc: number) => boolean

/** A field's value for one document, by its position in the replica; null for a field it does not keep. */
export type ColumnReader = (path: string) => ((doc: number) => unknown) | null

/** A filter the replica does not evaluate itself; the search goes to PostgreSQL, which answers or rejects it. */
export class UnsupportedFilter extends Error {}

export type ValueReader = (values: IndexedValues) => unknown

/** A reader of the value at a dotted path (`min_price.eur`), as `indexed->'min_price'->'eur'` reads it. */
export function valueReader(path: string): ValueReader {
  const segments = path.split(".")
  if (segments.length === 1) return (values) => values[path]
  return (values) => {
    let current: unknown = values
    for (const segment of segments) {
      if (current === null || typeof current !== "object" || Array.isArray(current)) return undefined
      current = (current as Record<string, unknown>)[segment]
    }
    return current
  }
}

/** `->>`: a JSON value as text; null for a missing value or JSON null. */
export function textOf(value: unknown): string | null {
  if (value === undefined || value === null) return null
  if (typeof value === "string") return value
  if (typeof value === "number" || typeof value === "boolean") return String(value)
  return JSON.stringify(value)
}

/** `(->>)::float8`: null where PostgreSQL's cast gives null. */
export function numberOf(value: unknown): number | null {
  const text = textOf(value)
  if (text === null || text.trim() === "") return null
  const n = Number(text)
  return Number.isNaN(n) ? null : n
}

/**
 * The Search Module's filters as a predicate on a document's indexed values,
 * with the PostgreSQL provider's meaning (`toWhereClause`): equality and
 * `$in` as jsonb containment (an array field contains the value), `$like`
 * on the text value, comparisons on the cast value, `$and`, `$or`, `$not`.
 * Throws UnsupportedFilter for what it does not cover.
 */
export function compileFilter(
  filters: Record<string, unknown> | undefined,
  fields: Map<string, PlannedField>,
  readerOf: ColumnReader,
  codesOf: (path: string) => CodeColumn | null = () => null
): DocumentPredicate {
  if (!filters) return () => true
  return compileBranch(filters, { fields, readerOf, codesOf })
}

type Schema = { fields: Map<string, PlannedField>; readerOf: ColumnReader; codesOf: (path: string) => CodeColumn | null }

function compileBranch(branch: Record<string, unknown>, fields: Schema): DocumentPredicate {
  const parts: DocumentPredicate[] = []
  for (const [key, value] of Object.entries(branch)) {
    if (key === "q") continue
    if (key === "$and" || key === "$or") {
      const nested = ((value ?? []) as Record<string, unknown>[]).map((b) => compileBranch(b, fields))
      if (!nested.length) continue
      parts.push(key === "$and" ? (v) => nested.every((p) => p(v)) : (v) => nested.some((p) => p(v)))
      continue
    }
    if (key === "$not") {
      const nested = compileBranch(value as Record<string, unknown>, fields)
      parts.push((v) => !nested(v))
      continue
    }
    parts.push(fieldPredicate(key, value, fields))
  }
  if (parts.length === 0) return () => true
  if (parts.length === 1) return parts[0]
  return (v) => parts.every((p) => p(v))
}

function fieldPredicate(path: string, raw: unknown, schema: Schema): DocumentPredicate {
  const known = schema.fields.get(path)
  const read = known && schema.readerOf(path)
  if (!known || !read) throw new UnsupportedFilter(`unknown field ${path}`)
  const planned: Field = { ...known, read }
  // A test of a single text value, through the field's codes when it has them.
  const byValue = (test: (text: string) => boolean, slow: DocumentPredicate) =>
    planned.is_array ? slow : viaCodes(schema.codesOf(path), test, slow)
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    return anyOf(planned, Array.isArray(raw) ? raw : [raw])
  }
  const operators = Object.entries(raw as Record<string, unknown>).filter(([k]) => k.startsWith("$"))
  if (!operators.length) throw new UnsupportedFilter(`empty operator map on ${path}`)
  const parts = operators.map(([operator, value]): DocumentPredicate => {
    const list = Array.isArray(value) ? value : [value]
    switch (operator) {
      case "$eq":
        return equality(planned, value, byValue)
      case "$ne": {
        if (value === null || value === undefined) return exists(planned, true)
        const eq = equality(planned, value, byValue)
        return (v) => !eq(v)
      }
      case "$in":
        return anyOf(planned, list)
      case "$nin": {
        const any = anyOf(planned, list)
        return (v) => !any(v)
      }
      case "$gt":
      case "$gte":
      case "$lt":
      case "$lte":
        return comparison(planned, operator, value)
      case "$exists":
        return exists(planned, Boolean(value))
      case "$overlaps":
        if (!planned.is_array) throw new UnsupportedFilter(`${operator} on a scalar`)
        return anyOf(planned, list)
      case "$contains": {
        if (!planned.is_array) throw new UnsupportedFilter(`${operator} on a scalar`)
        const wanted = list.map((x) => cast(planned, x))
        return (v) => {
          const have = planned.read(v)
          return Array.isArray(have) && wanted.every((w) => have.some((h) => h === w))
        }
      }
      case "$like":
      case "$prefix": {
        if (planned.is_array) throw new UnsupportedFilter(`${operator} on an array`)
        const matches = likeMatcher(operator === "$prefix" ? `${String(value)}%` : String(value))
        return byValue(matches, (v) => {
          const text = textOf(planned.read(v))
          return text !== null && matches(text)
        })
      }
      default:
        throw new UnsupportedFilter(`operator ${operator}`)
    }
  })
  return parts.length === 1 ? parts[0] : (v) => parts.every((p) => p(v))
}

/** A planned field with its value reader. */
type Field = PlannedField & { read: (doc: number) => unknown }

function cast(planned: Field, value: unknown): unknown {
  if (value === null || value === undefined) return null
  switch (planned.kind) {
    case "number": {
      const n = value instanceof Date ? value.getTime() : typeof value === "number" ? value : Number(value)
      if (Number.isNaN(n)) throw new UnsupportedFilter(`not a number for ${planned.path}`)
      return n
    }
    case "boolean":
      return typeof value === "boolean" ? value : value === "true" ? true : value === "false" ? false : Boolean(value)
    default:
      return typeof value === "string" ? value : String(value)
  }
}

/**
 * Containment: the field equals the value (of the same JSON type: "5" is not
 * 5), or an array field holds it; a null value means "missing".
 */
function equality(
  planned: Field,
  value: unknown,
  byValue: (test: (text: string) => boolean, slow: DocumentPredicate) => DocumentPredicate
): DocumentPredicate {
  const wanted = cast(planned, value)
  if (wanted === null) return exists(planned, false)
  if (planned.is_array) {
    return (v) => {
      const have = planned.read(v)
      return Array.isArray(have) ? have.some((h) => h === wanted) : have === wanted
    }
  }
  return byValue((text) => text === wanted, (v) => planned.read(v) === wanted)
}

/**
 * A test of a single-valued field through its codes: each distinct value
 * is tested once, the first time a document holding it is; a document
 * whose value has no code, or that holds none, is tested by `slow`.
 */
function viaCodes(codes: CodeColumn | null, test: (text: string) => boolean, slow: DocumentPredicate): DocumentPredicate {
  if (!codes) return slow
  // Per code: 0 not tested yet, 1 fails, 2 passes. Codes given after this (none, within one search) go to `slow`.
  const known = new Uint8Array(codes.values.length)
  return (doc) => {
    const code = codes.first(doc)
    if (code < 0 || code >= known.length) return slow(doc)
    let result = known[code]
    if (result === 0) known[code] = result = test(codes.values[code]) ? 2 : 1
    return result === 2
  }
}

function anyOf(planned: Field, values: unknown[]): DocumentPredicate {
  if (!values.length) return () => false
  const nullWanted = values.some((x) => x === null || x === undefined)
  const wanted = new Set(values.filter((x) => x !== null && x !== undefined).map((x) => cast(planned, x)))
  const missing = exists(planned, false)
  return (v) => {
    if (nullWanted && missing(v)) return true
    const have = planned.read(v)
    if (planned.is_array && Array.isArray(have)) return have.some((h) => wanted.has(h))
    return wanted.has(have)
  }
}

function exists(planned: Field, wanted: boolean): DocumentPredicate {
  return (v) => {
    const have = planned.read(v)
    return (have !== undefined && have !== null) === wanted
  }
}

function comparison(planned: Field, operator: string, value: unknown): DocumentPredicate {
  if (planned.is_array) throw new UnsupportedFilter(`${operator} on an array`)
  if (planned.kind === "boolean") throw new UnsupportedFilter(`${operator} on a boolean`)
  const test =
    operator === "$gt"
      ? (a: any, b: any) => a > b
      : operator === "$gte"
        ? (a: any, b: any) => a >= b
        : operator === "$lt"
          ? (a: any, b: any) => a < b
          : (a: any, b: any) => a <= b
  const wanted = cast(planned, value)
  if (planned.kind === "number") {
    return (v) => {
      const n = numberOf(planned.read(v))
      return n !== null && wanted !== null && test(n, wanted)
    }
  }
  return (v) => {
    const text = textOf(planned.read(v))
    return text !== null && wanted !== null && test(text, wanted)
  }
}

/**
 * A LIKE pattern as a test of a text: equality, a prefix, a suffix or a
 * substring when that is all it says (the visibility filter's
 * `%|channel|%`), else an anchored regular expression.
 */
export function likeMatcher(pattern: string): (text: string) => boolean {
  // The pattern as literal runs and wildcards (backslash escapes resolved).
  const parts: string[] = []
  let literal = ""
  let simple = true
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]
    if (c === "\\" && i + 1 < pattern.length) literal += pattern[++i]
    else if (c === "_") simple = false
    else if (c === "%") {
      parts.push(literal, "%")
      literal = ""
    } else literal += c
  }
  parts.push(literal)
  const texts = parts.filter((p, i) => i % 2 === 0)
  const starts = parts[1] === "%" && texts[0] === ""
  const ends = parts.length > 1 && parts[parts.length - 2] === "%" && texts[texts.length - 1] === ""
  const inner = texts.filter(Boolean)
  if (simple && inner.length <= 1 && texts.length <= 3 && (texts.length < 3 || (starts && ends))) {
    const only = inner[0] ?? ""
    if (texts.length === 1) return (text) => text === only
    if (starts && ends) return (text) => text.includes(only)
    if (starts) return (text) => text.endsWith(only)
    if (ends) return (text) => text.startsWith(only)
  }
  const regex = likePattern(pattern)
  return (text) => regex.test(text)
}

/** A LIKE pattern (`%`, `_`, backslash escapes) as an anchored regular expression. */
export function likePattern(pattern: string): RegExp {
  let source = ""
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]
    if (c === "\\" && i + 1 < pattern.length) source += escapeRegExp(pattern[++i])
    else if (c === "%") source += "[\\s\\S]*"
    else if (c === "_") source += "[\\s\\S]"
    else source += escapeRegExp(c)
  }
  return new RegExp(`^${source}$`, "u")
}

function escapeRegExp(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")
}
