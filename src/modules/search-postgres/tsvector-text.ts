/**
 * PostgreSQL's text forms of `tsvector` and `tsquery`, read back into
 * lexemes. The keyword replica takes its words from the index's own
 * `search_vector` (and a query's words from PostgreSQL's `plainto_tsquery`),
 * so stemming, stop words and weights stay PostgreSQL's.
 */

/** A lexeme's position in the document (1 to 16383) and its weight class (0 = D ... 3 = A), as one number. */
export type WeightedPosition = number

export const positionOf = (p: WeightedPosition) => p >> 2
export const weightClassOf = (p: WeightedPosition) => p & 3

/** Positions past this are stored as this, as PostgreSQL does; a lexeme without positions has it too. */
export const MAX_POSITION = 16383

const WEIGHT_CLASS: Record<string, number> = { A: 3, B: 2, C: 1, D: 0, a: 3, b: 2, c: 1, d: 0 }

/**
 * `'kettl':2A,5 'classic':1A` as lexemes with their weighted positions.
 * Lexemes are quoted, with `'` and `\` doubled.
 */
export function parseTsvector(text: string): { lexeme: string; positions: WeightedPosition[] }[] {
  const out: { lexeme: string; positions: WeightedPosition[] }[] = []
  let i = 0
  const n = text.length
  while (i < n) {
    while (i < n && text[i] === " ") i++
    if (i >= n) break
    const quoted = readQuoted(text, i)
    if (!quoted) throw new Error(`Unexpected tsvector text at ${i}: ${text.slice(i, i + 20)}`)
    const { lexeme } = quoted
    i = quoted.end
    const positions: WeightedPosition[] = []
    if (text[i] === ":") {
      i++
      for (;;) {
        let pos = 0
        while (i < n && text[i] >= "0" && text[i] <= "9") pos = pos * 10 + (text.charCodeAt(i++) - 48)
        let weight = 0
        if (i < n && WEIGHT_CLASS[text[i]] !== undefined) weight = WEIGHT_CLASS[text[i++]]
        positions.push((Math.min(pos, MAX_POSITION) << 2) | weight)
        if (text[i] === ",") i++
        else break
      }
    } else {
      positions.push(MAX_POSITION << 2)
    }
    out.push({ lexeme, positions })
  }
  return out
}

/**
 * The quoted lexeme at `start` (`'it''s'`: `'` and `\` are doubled or
 * escaped), and where the text goes on after it; null if there is none.
 */
function readQuoted(text: string, start: number): { lexeme: string; end: number } | null {
  if (text[start] !== "'") return null
  let lexeme = ""
  for (let i = start + 1; i < text.length; ) {
    const c = text[i]
    if (c === "\\" || (c === "'" && text[i + 1] === "'")) {
      lexeme += text[i + 1]
      i += 2
    } else if (c === "'") {
      return { lexeme, end: i + 1 }
    } else {
      lexeme += c
      i++
    }
  }
  return null
}

/** One word of a query: a lexeme, matched whole or (`prefix`) as the start of a lexeme. */
export type QueryOperand = { lexeme: string; prefix: boolean }

/**
 * A conjunction of lexemes (`'light' & 'kettl':*`), as `plainto_tsquery`
 * writes it, as its operands; an empty query has none. Returns null for
 * anything else (`|`, `!`, `<->`, weights), which the replica leaves to
 * PostgreSQL.
 */
export function parseTsquery(text: string): QueryOperand[] | null {
  const operands: QueryOperand[] = []
  let i = 0
  const n = text.length
  const skipSpaces = () => {
    while (i < n && text[i] === " ") i++
  }
  skipSpaces()
  if (i >= n) return operands
  for (;;) {
    skipSpaces()
    const quoted = readQuoted(text, i)
    if (!quoted) return null
    const { lexeme } = quoted
    i = quoted.end
    let prefix = false
    if (text[i] === ":") {
      if (text.slice(i, i + 2) !== ":*") return null
      prefix = true
      i += 2
      if (i < n && text[i] !== " ") return null
    }
    operands.push({ lexeme, prefix })
    skipSpaces()
    if (i >= n) return operands
    if (text[i] !== "&") return null
    i++
  }
}
