import { getHeapStatistics } from "node:v8"
import { CodeColumn, UNCODED } from "./code-column"
import { POSITION_WEIGHTS } from "./cover-density-rank"
import { valueReader, type IndexedValues, type PlannedField, type ValueReader } from "./document-filter"
import { parseTsvector } from "./tsvector-text"

/** How the replica reaches PostgreSQL: the provider's manager (`?` placeholders). */
export type SqlRunner = { execute(sql: string, params: unknown[]): Promise<any[]> }

/**
 * One document of the replica: its words in one array (one object per
 * document, for the garbage collector's sake): `[n, term ids (ascending) ×
 * n, position offsets × (n + 1), weighted positions (see tsvector-text)
 * grouped by term]`. Its values are in the replica's columns.
 */
export type ReplicaDocument = {
  id: string
  words: Int32Array
  /** The row's `updated_at`, as text: a row seen again unchanged is not read again. */
  updatedAt: string
}

/** The document's number of terms, its i-th term id, and where the i-th term's positions start and end. */
export const termCount = (words: Int32Array) => words[0]
export const termAt = (words: Int32Array, i: number) => words[1 + i]
export const positionsStart = (words: Int32Array, i: number) => words[1 + words[0] + i]

/** The provider's catalog entry of an index, as the replica needs it. */
export type ReplicaCatalog = {
  tableName: string
  plan: { fields: Map<string, PlannedField>; searchable: string[] }
}

export type ReplicaOptions = {
  /** An index with more documents than this is not kept in memory. */
  maxDocuments: number
  /** Rows written within this much of a sync are read again by the next one (a write that committed late). */
  overlapSeconds: number
}

const PAGE_SIZE = 2000

/** Heap a copy takes per document (measured: 152 MB for 100,000 products), rounded up. */
const BYTES_PER_DOCUMENT = 2000
/** The share of the process's heap limit a copy may take. */
const HEAP_SHARE = 0.25
const CATALOG_TABLE = "search_postgres_index"

/** The codes of an absent value, and of a value that has none (not a string). */
const NO_CODES: number[] = []
const NOT_CODED = [UNCODED]

/**
 * Most distinct values a filtered field (not a facet) gets codes for: a field
 * with a value per document (handles) would cost a map as large as the copy
 * and save nothing.
 */
const MAX_FILTER_CODES = 10_000

/** Whether a field's values are kept as codes too: a facet's text values, and a filtered text field's. */
function codedField(f: PlannedField): boolean {
  if (f.path === "id" || f.kind === "number" || f.kind === "boolean" || f.kind === "vector" || f.is_date) return false
  return !!f.field?.facetable || !!f.field?.filterable
}

/**
 * A process's copy of one search index's table (the PostgreSQL provider's
 * `search_pg_*`), held in memory: each document's indexed values and its
 * words with their weighted positions, taken from the row's own
 * `search_vector`, and an inverted list per word. A search then reads no
 * rows: at 100,000 products a one-word query matching 4,500 of them costs
 * PostgreSQL 15 ms in one statement (read the rows, rank them, count the
 * facets); here it is done on the copy.
 *
 * PostgreSQL stays the index: every write goes there, and the copy follows
 * it. It is filled in the background on first use and synced before a search
 * whenever the search version has moved (it moves once a write to the index
 * has landed, on any process): rows changed since the last sync are read
 * again, and deletions are found through the catalog's document count.
 */
export class KeywordReplica {
  readonly docs: (ReplicaDocument | null)[] = []
  readonly byId = new Map<string, number>()
  /** Lexeme id to the documents (indexes into `docs`) that hold it; entries of replaced documents stay until compaction. */
  postings: number[][] = []
  /**
   * Beside each posting, the sum of the weights of the term's positions in
   * that document, in position order: a one-word query's rank, read without
   * touching the document.
   */
  postingWeights: number[][] = []
  /** Ids in order, as last ranked (see rankIds); each ranked position's place among them, -1 for the rest. */
  private rankedIds: string[] = []
  private idRanks: Int32Array = new Int32Array(0)
  /** Scratch space of one search, by document position (searches run one at a time between awaits). */
  scratchScores = new Float64Array(0)
  scratchMarks = new Uint8Array(0)
  readonly lexemeIds = new Map<string, number>()
  readonly lexemes: string[] = []
  /** Every lexeme, sorted, for prefix matches. */
  vocabulary: string[] = []
  liveCount = 0
  private deadCount = 0
  /** Rows with `updated_at` after this are read by the next sync. */
  private since: string | null = null
  /** The search version the copy is known to hold; null until it is filled. */
  syncedVersion: string | null = null
  private syncing: Promise<void> | null = null
  private filling: Promise<void> | null = null
  /** Catalog document count minus the rows there are (a count that drifted): taken as is once seen. */
  private countDrift = 0
  /** False once the index is found too large, gone, or the copy failed: searches go to PostgreSQL. */
  usable = true
  /**
   * Whether the database orders text by code point (collation C), as the
   * copy does. Under another collation ("en_US.UTF-8", as initdb may pick on
   * a developer's machine) an order by a text field is left to PostgreSQL.
   */
  codePointOrder = true
  /** When it was set aside for a reason a new copy can mend (a failed read, a change it missed). */
  setAsideAt: number | null = null

  constructor(
    readonly physicalName: string,
    readonly catalog: ReplicaCatalog,
    private readonly sql: SqlRunner,
    private readonly options: ReplicaOptions,
    /** Told what went wrong (the copy set aside, an index not built). */
    private readonly onError: (error: Error) => void,
    private readonly onFilled: (documents: number, ms: number) => void = () => {}
  ) {
    for (const f of catalog.plan.fields.values()) {
      if (f.path === "id" || f.field?.filterable || f.field?.sortable || f.field?.facetable) {
        this.columns.set(f.path, [])
        const codes = codedField(f) ? new CodeColumn(f.field?.facetable ? Number.POSITIVE_INFINITY : MAX_FILTER_CODES) : null
        if (codes) this.codeColumns.set(f.path, codes)
        this.columnReaders.push([this.columns.get(f.path)!, valueReader(f.path), codes, f.is_array])
      }
    }
  }

  /**
   * The values that filters, facets and order read (the fields so declared),
   * one array per field, by document position: read once when a document is
   * put, not looked up in a document per search.
   */
  readonly columns = new Map<string, unknown[]>()
  /**
   * The text fields that facets count (brand ids, category ids...) and that
   * filters test (status, sales channels...), each document's values as
   * codes (see CodeColumn): a facet counts in an array, not a map, and a
   * filter tests each distinct value once per search.
   */
  readonly codeColumns = new Map<string, CodeColumn>()
  /** Each column, how to read it from a row's `indexed`, and its code column if it has one. */
  private readonly columnReaders: [unknown[], ValueReader, CodeColumn | null, boolean][] = []

  /** A reader of field `path` by document position; null for a field the replica does not keep. */
  readonly columnReader = (path: string): ((doc: number) => unknown) | null => {
    const column = this.columns.get(path)
    return column ? (doc) => column[doc] : null
  }

  get ready(): boolean {
    return this.usable && this.syncedVersion !== null
  }

  /** Resolves once no fill or sync of this copy is under way. */
  async settled(): Promise<void> {
    while (this.syncing || (this.filling && !this.ready && this.usable)) {
      await (this.syncing ?? this.filling)
    }
  }

  /** Starts filling the copy (once); searches go to PostgreSQL until it is filled. */
  fill(version: string): void {
    if (this.filling) return
    this.filling = this.load(version).catch((error) => {
      this.setAside()
      this.onError(new Error(`set aside, searches read PostgreSQL: ${(error as Error).message}`))
    })
  }

  /**
   * Brings the copy up to `version` (the search version read for this
   * search). Concurrent searches share one sync; a search that read a newer
   * version than the sync started under syncs again.
   */
  async syncTo(version: string): Promise<void> {
    while (this.usable && this.syncedVersion !== version) {
      if (!this.syncing) {
        const target = version
        this.syncing = this.sync()
          .then(() => {
            this.syncedVersion = target
          })
          .finally(() => {
            this.syncing = null
          })
      }
      await this.syncing
    }
  }

  /** Stops answering from this copy; a new one replaces it (see KeywordReplicas). */
  setAside(): void {
    this.usable = false
    this.setAsideAt = Date.now()
  }

  private async load(version: string): Promise<void> {
    const started = Date.now()
    const [{ document_count: count, at, collation }] = await this.sql.execute(
      `SELECT document_count, (now() - make_interval(secs => ?))::text AS at,
        (SELECT datcollate FROM pg_database WHERE datname = current_database()) AS collation
       FROM "${CATALOG_TABLE}" WHERE "name" = ?`,
      [this.options.overlapSeconds, this.physicalName]
    )
    this.codePointOrder = /^(C|POSIX)(\.|$)/i.test(String(collation))
    const heapAllows = (getHeapStatistics().heap_size_limit * HEAP_SHARE) / BYTES_PER_DOCUMENT
    if (Number(count) > Math.min(this.options.maxDocuments, heapAllows)) {
      this.usable = false
      this.onError(
        new Error(`not kept: ${count} documents, more than SEARCH_REPLICA_MAX_DOCUMENTS or a quarter of the heap limit allow`)
      )
      return
    }
    this.since = at
    await this.ensureChangeIndex()
    let after = ""
    for (;;) {
      const rows = await this.sql.execute(
        `SELECT "id", "indexed", "search_vector"::text AS words, "updated_at"::text AS updated
         FROM "${this.catalog.tableName}" WHERE "id" > ? ORDER BY "id" LIMIT ${PAGE_SIZE}`,
        [after]
      )
      for (const row of rows) this.put(row)
      if (rows.length < PAGE_SIZE) break
      after = rows[rows.length - 1].id
      if (this.liveCount > this.options.maxDocuments) {
        this.usable = false
        return
      }
    }
    this.sortVocabulary()
    this.trimPostings()
    this.rankIds()
    // What changed while the pages were read, and what was deleted meanwhile.
    await this.sync()
    this.syncedVersion = version
    this.onFilled(this.liveCount, Date.now() - started)
  }

  /**
   * An index on `updated_at`, which the provider's table does not have: a
   * sync reads the rows changed in the last seconds, which is otherwise a
   * scan of the table (47 ms at 100,000 products). Built without blocking
   * writes; if two processes race to build it, the loser's error is only
   * logged.
   */
  private async ensureChangeIndex(): Promise<void> {
    const table = this.catalog.tableName
    try {
      await this.sql.execute(`CREATE INDEX CONCURRENTLY IF NOT EXISTS "${table}_updated_at_idx" ON "${table}" ("updated_at")`, [])
      // Without statistics on the column (a table built moments ago), the planner takes a third
      // of the rows to be recent and scans the table all the same.
      const stats = await this.sql.execute(`SELECT 1 FROM pg_stats WHERE tablename = ? AND attname = 'updated_at'`, [table])
      if (!stats.length) await this.sql.execute(`ANALYZE "${table}" ("updated_at")`, [])
    } catch (error) {
      this.onError(new Error(`could not index ${table}.updated_at (syncs scan the table): ${(error as Error).message}`))
    }
  }

  private async sync(): Promise<void> {
    const rows = await this.sql.execute(
      `SELECT "id", "indexed", "search_vector"::text AS words, "updated_at"::text AS updated, NULL::bigint AS document_count, NULL::text AS at
       FROM "${this.catalog.tableName}" WHERE "updated_at" > ?::timestamptz
       UNION ALL
       SELECT NULL, NULL, NULL, NULL, "document_count", (now() - make_interval(secs => ?))::text FROM "${CATALOG_TABLE}" WHERE "name" = ?`,
      [this.since, this.options.overlapSeconds, this.physicalName]
    )
    const catalogRow = rows.find((r) => r.id === null)
    if (!catalogRow) {
      // The index was dropped or rebuilt under another name.
      this.usable = false
      return
    }
    const added: string[] = []
    for (const row of rows) if (row.id !== null) this.put(row, added)
    for (const lexeme of added) insertSorted(this.vocabulary, lexeme)
    this.since = catalogRow.at
    if (this.liveCount !== Number(catalogRow.document_count) - this.countDrift) await this.reconcile()
    if (this.deadCount > Math.max(1000, this.liveCount / 4)) this.compact()
  }

  /** Drops the documents PostgreSQL no longer has (deleted), by reading every id once. */
  private async reconcile(): Promise<void> {
    const rows = await this.sql.execute(
      `SELECT "id", (SELECT "document_count" FROM "${CATALOG_TABLE}" WHERE "name" = ?) AS document_count FROM "${this.catalog.tableName}"`,
      [this.physicalName]
    )
    const present = new Set(rows.map((r) => r.id as string))
    for (const id of [...this.byId.keys()]) if (!present.has(id)) this.remove(id)
    if ([...present].some((id) => !this.byId.has(id))) {
      // A row the syncs did not see (a write that committed later than the overlap): a new copy is made.
      this.setAside()
      this.onError(new Error("set aside: a row changed without being seen by a sync; it is filled again"))
      return
    }
    this.countDrift = rows.length ? Number(rows[0].document_count) - rows.length : 0
  }

  private put(row: { id: string; indexed: unknown; words: string; updated: string }, added?: string[]): void {
    const existing = this.byId.get(row.id)
    if (existing !== undefined && this.docs[existing]?.updatedAt === row.updated) return
    if (existing !== undefined) this.remove(row.id)
    const indexed = (typeof row.indexed === "string" ? JSON.parse(row.indexed) : row.indexed) as IndexedValues
    const parsed = parseTsvector(row.words)
    const entries = parsed.map((w) => ({ id: this.lexemeId(w.lexeme, added), positions: w.positions }))
    entries.sort((a, b) => a.id - b.id)
    const n = entries.length
    const total = entries.reduce((sum, e) => sum + e.positions.length, 0)
    const words = new Int32Array(1 + n + n + 1 + total)
    words[0] = n
    let at = 2 + 2 * n
    entries.forEach((e, i) => {
      words[1 + i] = e.id
      words[1 + n + i] = at
      words.set(e.positions, at)
      at += e.positions.length
    })
    words[1 + 2 * n] = at
    const index = this.docs.length
    this.docs.push({ id: row.id, words, updatedAt: row.updated })
    for (const [column, read, codes, isArray] of this.columnReaders) {
      const value = read(indexed)
      column[index] = value
      if (!codes) continue
      if (value == null) codes.set(index, NO_CODES)
      else if (isArray) codes.set(index, Array.isArray(value) ? value.map((v) => codes.code(v)) : NOT_CODED)
      else codes.set(index, [codes.code(value)])
    }
    this.byId.set(row.id, index)
    for (const e of entries) this.addPosting(e.id, index, e.positions)
    this.liveCount++
  }

  private addPosting(term: number, doc: number, positions: ArrayLike<number>): void {
    let sum = 0
    for (let t = 0; t < positions.length; t++) sum += POSITION_WEIGHTS[positions[t] & 3]
    this.postings[term].push(doc)
    this.postingWeights[term].push(sum)
  }

  /** Scratch arrays as long as `docs`, all zero. */
  scratch(): { scores: Float64Array; marks: Uint8Array } {
    if (this.scratchMarks.length < this.docs.length) {
      const size = Math.max(1024, this.docs.length * 2)
      this.scratchScores = new Float64Array(size)
      this.scratchMarks = new Uint8Array(size)
    }
    return { scores: this.scratchScores, marks: this.scratchMarks }
  }

  private remove(id: string): void {
    const index = this.byId.get(id)
    if (index === undefined) return
    this.docs[index] = null
    // A code column keeps the document's codes until compaction: no search matches it.
    for (const [column] of this.columnReaders) column[index] = undefined
    this.byId.delete(id)
    this.liveCount--
    this.deadCount++
  }

  private lexemeId(lexeme: string, added?: string[]): number {
    let id = this.lexemeIds.get(lexeme)
    if (id === undefined) {
      id = this.lexemes.length
      this.lexemes.push(lexeme)
      this.lexemeIds.set(lexeme, id)
      this.postings.push([])
      this.postingWeights.push([])
      if (added) added.push(lexeme)
      else this.vocabulary.push(lexeme)
    }
    return id
  }

  /**
   * Lists at their length: an array grown by push keeps room for 16 more, and
   * most words (SKUs, handles, codes) are in one document: 70 MB of room at
   * 100,000 products.
   */
  private trimPostings(): void {
    this.postings = this.postings.map((list) => list.slice())
    this.postingWeights = this.postingWeights.map((list) => list.slice())
  }

  /**
   * A number that orders document `doc` by id, as compareText does: its
   * rank, or, for a document put since the last ranking, where its id falls
   * between two ranks (a rank minus one half). Two documents put since can
   * share one; their ids then decide.
   */
  idOrder(doc: number): number {
    const rank = doc < this.idRanks.length ? this.idRanks[doc] : -1
    if (rank >= 0) return rank
    const id = this.docs[doc]!.id
    const ids = this.rankedIds
    let lo = 0
    let hi = ids.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (compareText(ids[mid], id) < 0) lo = mid + 1
      else hi = mid
    }
    return lo - 0.5
  }

  /**
   * Ranks the documents by id, for an order by id (the tie-break of every
   * relevance order) to compare numbers: after a fill, and a compaction. Ids
   * arrive in order from PostgreSQL, so the sort costs little.
   */
  private rankIds(): void {
    const positions = this.livePositions()
    positions.sort((a, b) => compareText(this.docs[a]!.id, this.docs[b]!.id))
    this.rankedIds = positions.map((index) => this.docs[index]!.id)
    this.idRanks = new Int32Array(this.docs.length).fill(-1)
    positions.forEach((index, rank) => (this.idRanks[index] = rank))
  }

  private sortVocabulary(): void {
    this.vocabulary.sort(compareText)
  }

  /** The positions of the documents neither replaced nor deleted, ascending. */
  private livePositions(): number[] {
    const live: number[] = []
    this.docs.forEach((doc, index) => doc && live.push(index))
    return live
  }

  /** Renumbers the live documents, dropping replaced and deleted ones from the lists. */
  private compact(): void {
    const live = this.livePositions()
    for (const [column, , codes] of this.columnReaders) {
      const values = live.map((index) => column[index])
      column.length = 0
      values.forEach((v) => column.push(v))
      codes?.keep(live)
    }
    const docs = live.map((index) => this.docs[index]!)
    this.docs.length = 0
    this.byId.clear()
    this.postings = this.lexemes.map(() => [])
    this.postingWeights = this.lexemes.map(() => [])
    docs.forEach((doc, index) => {
      this.docs.push(doc)
      this.byId.set(doc.id, index)
      const words = doc.words
      for (let i = 0; i < termCount(words); i++) {
        this.addPosting(termAt(words, i), index, words.subarray(positionsStart(words, i), positionsStart(words, i + 1)))
      }
    })
    this.trimPostings()
    this.rankIds()
    this.deadCount = 0
  }
}

/** Text order as the index's collation "C" has it (code points). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function insertSorted(list: string[], value: string): void {
  let lo = 0
  let hi = list.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (list[mid] < value) lo = mid + 1
    else hi = mid
  }
  list.splice(lo, 0, value)
}
