/**
 * A text field's values as codes, by document position: each document's
 * codes one after another in one typed array, where each document's start
 * is kept in a second, and each distinct value once. A facet counts a
 * search's documents, and a filter tests them, with a few reads of numbers
 * each and no object to follow; the collector has nothing in them to trace.
 *
 * Documents are only ever added at the end; a replaced or deleted one stays
 * until the copy is compacted (see `keep`). A value that is not a string,
 * and every new value once `maxValues` are known, has no code (-1): whoever
 * reads the column then reads that document's value itself.
 */
export class CodeColumn {
  /** Document i's codes are codes[starts[i]] up to codes[starts[i + 1]]. */
  private starts: Int32Array = new Int32Array(1024)
  private codes: Int32Array = new Int32Array(1024)
  private size = 0
  /** Each code's value. */
  readonly values: string[] = []
  private readonly codeByValue = new Map<string, number>()

  constructor(private readonly maxValues = Number.POSITIVE_INFINITY) {}

  /** The number of documents held. */
  get length(): number {
    return this.size
  }

  /** The code of `value`, given it now if it has none (-1: not a string, or no room for another). */
  code(value: unknown): number {
    if (typeof value !== "string") return UNCODED
    let code = this.codeByValue.get(value)
    if (code === undefined) {
      if (this.values.length >= this.maxValues) return UNCODED
      code = this.values.length
      this.values.push(value)
      this.codeByValue.set(value, code)
    }
    return code
  }

  /**
   * Sets the codes of the document at `index`, the next one (none for a value
   * that is absent). Positions skipped (a document whose codes were never
   * set) hold none.
   */
  set(index: number, codes: ArrayLike<number>): void {
    if (index < this.size) throw new Error(`codes of document ${index} set after those of ${this.size - 1}`)
    while (this.size < index) this.push(NONE)
    this.push(codes)
  }

  /** A single-valued document's code: ABSENT when it holds none, UNCODED when its value has no code. */
  first(doc: number): number {
    if (doc >= this.size) return ABSENT
    const start = this.starts[doc]
    return start < this.starts[doc + 1] ? this.codes[start] : ABSENT
  }

  /** How many of `docs` hold each code, by code; null if one of them holds a value without a code. */
  count(docs: readonly number[]): Int32Array | null {
    const { starts, codes } = this
    const counts = new Int32Array(this.values.length)
    for (let i = 0; i < docs.length; i++) {
      const doc = docs[i]
      for (let j = starts[doc], end = starts[doc + 1]; j < end; j++) {
        const code = codes[j]
        if (code < 0) return null
        counts[code]++
      }
    }
    return counts
  }

  /** Keeps only the documents at positions `live` (ascending), renumbered from 0. */
  keep(live: readonly number[]): void {
    const { starts, codes, size } = this
    this.starts = new Int32Array(Math.max(1024, live.length + 1))
    this.codes = new Int32Array(1024)
    this.size = 0
    for (const doc of live) this.push(doc < size ? codes.subarray(starts[doc], starts[doc + 1]) : NONE)
  }

  private push(codes: ArrayLike<number>): void {
    const used = this.starts[this.size]
    if (this.size + 2 > this.starts.length) this.starts = grown(this.starts, this.size + 2)
    if (used + codes.length > this.codes.length) this.codes = grown(this.codes, used + codes.length)
    for (let i = 0; i < codes.length; i++) this.codes[used + i] = codes[i]
    this.size++
    this.starts[this.size] = used + codes.length
  }
}

/** The code of a value that has none. */
export const UNCODED = -1
/** What `first` reads for a document that holds no value. */
export const ABSENT = -2

const NONE = new Int32Array(0)

/** A copy of `array` with room for at least `needed` entries. */
function grown(array: Int32Array, needed: number): Int32Array {
  const bigger = new Int32Array(Math.max(needed, array.length * 2))
  bigger.set(array)
  return bigger
}
