import { projectDocument } from "@medusajs/framework/utils"
import { mapFacetResult, normalizeFacetRequests } from "@medusajs/search-postgres/dist/utils"
import { coverDensityRank, POSITION_WEIGHTS } from "./cover-density-rank"
import {
  compileFilter,
  likeMatcher,
  numberOf,
  textOf,
  UnsupportedFilter,
  type DocumentPredicate,
  type PlannedField,
} from "./document-filter"
import { compareText, positionsStart, termAt, termCount, type KeywordReplica } from "./keyword-replica"
import type { QueryOperand } from "./tsvector-text"

/** Search options the replica answers; with any other, the search goes to PostgreSQL. */
const SUPPORTED_OPTIONS = new Set(["match_strategy", "typo_tolerance", "count", "facets", "disjunctive_facets", "include_score"])

/** Query words a search may have here (one bit each in a mask). */
const MAX_OPERANDS = 30

type OrderKey = { score: true; descending: boolean } | { score: false; descending: boolean; field: PlannedField }

/**
 * A keyword search answered from a replica, as the PostgreSQL provider
 * answers it (see one-statement-search.ts): the documents holding every
 * query word (the last as a prefix with `match_strategy: "last"`) that pass
 * the filters, ranked by `ts_rank_cd`, ordered, paged, counted and faceted.
 * Returns null for a search it does not cover (typo tolerance, options or
 * filters it does not know, hits that need the stored document), which then
 * goes to PostgreSQL.
 */
export async function searchReplica(
  replica: KeywordReplica,
  input: any,
  words: QueryOperand[],
  readDocuments: (ids: string[]) => Promise<Map<string, unknown>>
): Promise<object | null> {
  const started = Date.now()
  const options = input.search_options ?? {}
  if (Object.keys(options).some((key) => !SUPPORTED_OPTIONS.has(key)) || options.typo_tolerance) return null
  if (input.index?.settings?.distinct_attribute) return null
  const fields = replica.catalog.plan.fields
  let predicate: DocumentPredicate
  try {
    predicate = compileFilter(input.filters, fields, replica.columnReader, (path) => replica.codeColumns.get(path) ?? null)
  } catch (error) {
    if (error instanceof UnsupportedFilter) return null
    throw error
  }
  const order = orderKeys(input.pagination?.order, fields, replica.columns)
  if (!order) return null
  // Ids compare alike under any collation (same prefix, then letters and digits); other text may not.
  if (!replica.codePointOrder && order.some((k) => !k.score && k.field.path !== "id" && isText(k.field))) return null
  const operands = uniqueOperands(words)
  if (operands.length > MAX_OPERANDS) return null
  const facetRequests: any[] = normalizeFacetRequests(options.facets, replica.catalog.plan as any)
  const skip: number = input.pagination?.skip ?? 0
  const take: number = input.pagination?.take ?? 20

  const lists = operands.map((operand) => lexemesOf(replica, operand))
  const needScore = order.some((k) => k.score) || !!options.include_score
  const { matched, scores } =
    lists.length === 1
      ? matchOneWord(replica, lists[0], predicate, needScore)
      : matchAllWords(replica, lists, predicate, needScore)
  const page = take > 0 ? topOrdered(replica, matched, scores, order, skip + take).slice(skip) : []

  // Everything is read from the copy before the one await below: a sync may change it meanwhile.
  const facets = facetRequests.length
    ? Object.fromEntries(facetRequests.map((request) => [request.field, facetOf(replica, matched, request)]))
    : undefined
  // Hits that ask for kept fields only (the ids, as searchProducts asks) are taken from the columns.
  const attributes: string[] | undefined = input.attributes_to_retrieve
  const kept = attributes?.every((a) => replica.columns.has(a))
  const hits = page.map((i) => ({
    id: replica.docs[matched[i]]!.id,
    score: options.include_score ? scores![i] : undefined,
    document: kept ? Object.fromEntries(attributes!.map((a) => [a, replica.columns.get(a)![matched[i]]])) : null,
  }))
  if (!kept) {
    const documents = await readDocuments(hits.map((h) => h.id))
    for (const hit of hits) hit.document = projectDocument(documents.get(hit.id) as any, attributes as string[])
  }
  return {
    hits,
    facets,
    metadata: {
      skip,
      take,
      count: options.count === "none" ? null : matched.length,
      query: input.q,
      processing_time_ms: Date.now() - started,
    },
  }
}

function uniqueOperands(words: QueryOperand[]): QueryOperand[] {
  const seen = new Set<string>()
  return words.filter((w) => {
    const key = `${w.prefix ? "*" : "="}${w.lexeme}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

/** The ids of the lexemes an operand matches: itself, or every lexeme it starts. */
function lexemesOf(replica: KeywordReplica, operand: QueryOperand): number[] {
  if (!operand.prefix) {
    const id = replica.lexemeIds.get(operand.lexeme)
    return id === undefined ? [] : [id]
  }
  const vocabulary = replica.vocabulary
  let lo = 0
  let hi = vocabulary.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (vocabulary[mid] < operand.lexeme) lo = mid + 1
    else hi = mid
  }
  const ids: number[] = []
  for (let i = lo; i < vocabulary.length && vocabulary[i].startsWith(operand.lexeme); i++) {
    ids.push(replica.lexemeIds.get(vocabulary[i])!)
  }
  return ids
}

type Matches = { matched: number[]; scores: Float64Array | null }

/**
 * A one-word query: the documents holding one of the word's lexemes that pass
 * the filters, ranked from the postings' weight sums (each position a cover
 * of its own) unless a document holds several of its lexemes.
 */
function matchOneWord(replica: KeywordReplica, list: number[], predicate: DocumentPredicate, needScore: boolean): Matches {
  const { scores: sums, marks } = replica.scratch()
  const candidates: number[] = []
  for (const id of list) {
    const docs = replica.postings[id]
    const weights = replica.postingWeights[id]
    for (let j = 0; j < docs.length; j++) {
      const doc = docs[j]
      if (marks[doc] === 0) {
        marks[doc] = 1
        sums[doc] = weights[j]
        candidates.push(doc)
      } else marks[doc] = 2
    }
  }
  const matched: number[] = []
  const several: number[] = []
  for (const doc of candidates) {
    if (replica.docs[doc] !== null && predicate(doc)) {
      matched.push(doc)
      if (marks[doc] === 2) several.push(matched.length - 1)
    }
  }
  let scores: Float64Array | null = null
  if (needScore) {
    scores = new Float64Array(matched.length)
    for (let m = 0; m < matched.length; m++) scores[m] = Math.fround(sums[matched[m]])
    if (several.length) {
      const ranked = rankDocuments(replica, [list], several.map((m) => matched[m]))
      several.forEach((m, i) => (scores![m] = ranked[i]))
    }
  }
  for (const doc of candidates) marks[doc] = 0
  return { matched, scores }
}

/** Documents that hold a lexeme of every list and pass the filters, ranked by cover density. */
function matchAllWords(replica: KeywordReplica, lists: number[][], predicate: DocumentPredicate, needScore: boolean): Matches {
  if (lists.some((l) => !l.length)) return { matched: [], scores: needScore ? new Float64Array(0) : null }
  const size = (list: number[]) => list.reduce((n, id) => n + replica.postings[id].length, 0)
  const byCost = [...lists].sort((a, b) => size(a) - size(b))
  // How many of the lists so far hold each document.
  const { marks: held } = replica.scratch()
  const candidates: number[] = []
  byCost.forEach((list, k) => {
    for (const id of list) {
      for (const doc of replica.postings[id]) {
        if (held[doc] !== k) continue
        held[doc] = k + 1
        if (k === 0) candidates.push(doc)
      }
    }
  })
  const all = lists.length
  const matched = candidates.filter((doc) => held[doc] === all && replica.docs[doc] !== null && predicate(doc))
  for (const doc of candidates) held[doc] = 0
  return { matched, scores: needScore ? rankDocuments(replica, lists, matched) : null }
}

/** Each matched document's `ts_rank_cd`, in the order of `matched`. */
function rankDocuments(replica: KeywordReplica, lists: number[][], matched: number[]): Float64Array {
  const all = (1 << lists.length) - 1
  // A long list (a short prefix) is tested per term of the document instead of looked up.
  const sets = lists.map((list) => (list.length > 16 ? new Set(list) : null))
  const scores = new Float64Array(matched.length)
  const found: number[] = []
  const keys: number[] = []
  for (let m = 0; m < matched.length; m++) {
    const words = replica.docs[matched[m]]!.words
    // The terms of the document each list matches: (term index, list bit) pairs.
    found.length = 0
    for (let k = 0; k < lists.length; k++) {
      const set = sets[k]
      if (set) {
        for (let i = 0; i < termCount(words); i++) if (set.has(termAt(words, i))) found.push(i, 1 << k)
      } else {
        for (const id of lists[k]) {
          const i = findTerm(words, id)
          if (i >= 0) found.push(i, 1 << k)
        }
      }
    }
    if (found.length === 2) {
      // One word matched by one term: each position is a cover of its own, in order.
      let sum = 0
      for (let t = positionsStart(words, found[0]); t < positionsStart(words, found[0] + 1); t++) sum += POSITION_WEIGHTS[words[t] & 3]
      scores[m] = Math.fround(sum)
      continue
    }
    keys.length = 0
    for (let f = 0; f < found.length; f += 2) {
      for (let t = positionsStart(words, found[f]); t < positionsStart(words, found[f] + 1); t++) keys.push(words[t] * MASK_SPAN + found[f + 1])
    }
    keys.sort((a, b) => a - b)
    // One entry per position, with the words matched there.
    const positions: number[] = []
    const masks: number[] = []
    for (const key of keys) {
      const weighted = Math.floor(key / MASK_SPAN)
      const mask = key % MASK_SPAN
      const last = positions.length - 1
      if (last >= 0 && positions[last] >> 2 === weighted >> 2) masks[last] |= mask
      else {
        positions.push(weighted)
        masks.push(mask)
      }
    }
    scores[m] = coverDensityRank(positions, masks, all)
  }
  return scores
}

const MASK_SPAN = 2 ** 31

/** The index of term `id` among the document's terms, or -1. */
function findTerm(words: Int32Array, id: number): number {
  let lo = 0
  let hi = termCount(words) - 1
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    const t = termAt(words, mid)
    if (t === id) return mid
    if (t < id) lo = mid + 1
    else hi = mid - 1
  }
  return -1
}

/** The order as keys, the provider's way (`resolveOrderBy`); null for one it would reject. */
function orderKeys(
  order: Record<string, string> | undefined,
  fields: Map<string, PlannedField>,
  columns: Map<string, unknown[]>
): OrderKey[] | null {
  const entries = Object.entries(order ?? {})
  if (!entries.length) {
    return [{ score: true, descending: true }, { score: false, descending: false, field: fields.get("id") ?? idField }]
  }
  const keys: OrderKey[] = []
  for (const [property, direction] of entries) {
    const descending = direction !== "ASC"
    if (property === "_score") {
      keys.push({ score: true, descending })
      continue
    }
    const field = fields.get(property)
    if (!field || field.is_array || field.kind === "vector" || !columns.has(property)) return null
    keys.push({ score: false, descending, field })
  }
  return keys
}

const idField: PlannedField = { path: "id", kind: "keyword", is_array: false }

const isText = (field: PlannedField) => field.kind !== "number" && field.kind !== "boolean"

/**
 * The first `limit` of `matched` in `order` (positions into `matched`),
 * each key NULLS LAST as the provider orders.
 */
function topOrdered(
  replica: KeywordReplica,
  matched: number[],
  scores: Float64Array | null,
  order: OrderKey[],
  limit: number
): number[] {
  // Each key's values for the matched documents, read once rather than at every comparison;
  // ids as numbers that order them (KeywordReplica.idOrder).
  const keys = order.map((key): ArrayLike<string | number | null> => {
    if (key.score) return scores!
    if (key.field.path === "id") return matched.map((doc) => replica.idOrder(doc))
    const column = replica.columns.get(key.field.path)!
    const field = key.field
    return matched.map((doc) => sortValue(column[doc], field))
  })
  const byId = order.map((key) => !key.score && key.field.path === "id")
  const descending = order.map((key) => key.descending)
  const compare = (a: number, b: number): number => {
    for (let k = 0; k < keys.length; k++) {
      const x = keys[k][a]
      const y = keys[k][b]
      if (x === y) {
        // Two documents put since the ids were ranked, between the same two ranks.
        if (byId[k] && !Number.isInteger(x) && a !== b) {
          const c = compareText(replica.docs[matched[a]]!.id, replica.docs[matched[b]]!.id)
          if (c !== 0) return descending[k] ? -c : c
        }
        continue
      }
      if (x === null) return 1
      if (y === null) return -1
      const c = typeof x === "string" ? compareText(x, y as string) : (x as number) - (y as number)
      if (c !== 0) return descending[k] ? -c : c
    }
    return 0
  }
  const best: number[] = []
  for (let i = 0; i < matched.length; i++) {
    if (best.length === limit && compare(i, best[limit - 1]) >= 0) continue
    let lo = 0
    let hi = best.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (compare(best[mid], i) <= 0) lo = mid + 1
      else hi = mid
    }
    best.splice(lo, 0, i)
    if (best.length > limit) best.pop()
  }
  return best
}

/** A field's value as `ORDER BY` compares it: `#>>` text, or cast to a number or boolean. */
function sortValue(value: unknown, field: PlannedField): string | number | null {
  if (field.kind === "number") return numberOf(value)
  if (field.kind === "boolean") {
    const text = textOf(value)
    return text === null ? null : text === "true" ? 1 : 0
  }
  return textOf(value)
}

/** One facet over the matched documents, in the provider's result shape. */
function facetOf(replica: KeywordReplica, matched: number[], request: any): unknown {
  const field = replica.catalog.plan.fields.get(request.field)!
  const column = replica.columns.get(request.field)!
  const valuesOf = (index: number) => column[index]
  if (request.type === "range") {
    const row: Record<string, number> = {}
    ;(request.ranges ?? []).forEach((range: { from?: number; to?: number }, i: number) => {
      let count = 0
      for (const index of matched) {
        const n = numberOf(valuesOf(index))
        if (n === null) continue
        if ((range.from === undefined || n >= range.from) && (range.to === undefined || n < range.to)) count++
      }
      row[`r${i}`] = count
    })
    return mapFacetResult(request, [row])
  }
  if (request.type === "stats") {
    let min: number | null = null
    let max: number | null = null
    let sum = 0
    let numbers = 0
    for (const index of matched) {
      const n = numberOf(valuesOf(index))
      if (n === null) continue
      min = min === null || n < min ? n : min
      max = max === null || n > max ? n : max
      sum += n
      numbers++
    }
    return mapFacetResult(request, [
      { min, max, avg: numbers ? sum / numbers : null, sum: numbers ? sum : null, count: matched.length },
    ])
  }
  const codes = replica.codeColumns.get(request.field)
  if (codes && !request.query) {
    const counted = codes.count(matched)
    if (counted) return mapFacetResult(request, topValues(counted, codes.values, request))
  }
  const counts = new Map<string, number>()
  const add = (value: unknown) => {
    const text = textOf(value)
    if (text !== null) counts.set(text, (counts.get(text) ?? 0) + 1)
  }
  for (const index of matched) {
    const value = valuesOf(index)
    if (field.is_array) {
      if (Array.isArray(value)) value.forEach(add)
    } else add(value)
  }
  let rows = [...counts].map(([value, count]) => ({ value, count }))
  if (request.query) {
    const matches = likeMatcher(`${request.query}%`)
    rows = rows.filter((r) => matches(r.value))
  }
  return mapFacetResult(request, sortedValues(rows, request))
}

function topValues(counts: Int32Array, values: string[], request: any): { value: string; count: number }[] {
  const rows: { value: string; count: number }[] = []
  for (let code = 0; code < counts.length; code++) if (counts[code]) rows.push({ value: values[code], count: counts[code] })
  return sortedValues(rows, request)
}

/** The provider's facet order (count, then value; or value with `sort: "alpha"`) and limit. */
function sortedValues(rows: { value: string; count: number }[], request: any): { value: string; count: number }[] {
  rows.sort(
    request.sort === "alpha"
      ? (a, b) => compareText(a.value, b.value)
      : (a, b) => b.count - a.count || compareText(a.value, b.value)
  )
  return rows.slice(0, request.limit ?? 10)
}
