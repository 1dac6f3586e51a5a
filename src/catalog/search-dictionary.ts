import { Modules } from "@medusajs/framework/utils"
import { servingIndex } from "../lib/search/serving-index"
import type { Caller } from "./caller"
import type { SearchContext } from "./search"
import { assertCanRead } from "./visibility"

/** What a dictionary read needs: the database, the caller, and the container to reach the Search Module through. */
type DictionaryContext = Pick<SearchContext, "db" | "caller" | "scope">

/**
 * The dictionary of the search index's words (table `search_word`, kept by
 * src/modules/search-postgres): what "did you mean" corrects against and
 * what query suggestions complete from. Each word is counted per scope of
 * visibility, so a caller is offered only words of documents it may see:
 * a word that only a draft, or only another sales channel's product, holds
 * is never suggested to a storefront. The words read are those of the index
 * version the Search Module searches (see lib/search/serving-index).
 */

/** Words a query is split into, as the dictionary holds them: letters and digits, lower-cased. */
export function queryWords(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => w.length <= 40)
}

/**
 * The dictionary scopes a caller reads (see the migration that makes the
 * table): `*` for admins, `published` for a storefront of a store with one
 * sales channel, else the key's channels; null when it may see nothing.
 */
export function dictionaryScopes(caller: Caller): string[] | null {
  assertCanRead(caller)
  if (caller.kind === "admin") return ["*"]
  if (caller.kind !== "storefront") return null
  if (caller.salesChannelIds === null) return ["published"]
  return caller.salesChannelIds.length ? [...caller.salesChannelIds] : null
}

// Below this many characters a word is not corrected (too little to go on);
// from TWO_EDITS_FROM, two edits are tolerated, else one (as engines such as
// Algolia count typos).
const CORRECT_FROM = 4
const TWO_EDITS_FROM = 8
// Trigram similarity at which a dictionary word becomes a candidate: low, as
// a swap of two letters in a short word shares few trigrams ("shrit" and
// "shirt": 0.2); the edit distance then decides.
const CANDIDATE_SIMILARITY = 0.15
const CANDIDATES_PER_WORD = 10

/**
 * "Did you mean": the query with each word the caller's dictionary does not
 * hold replaced by the closest word it does (fewest edits, then the most
 * documents), or null when no word needs or admits a correction. The last
 * word counts as held when a word starts with it, as a search matches it
 * as a prefix; when it is corrected, it is corrected to a whole word.
 * One statement looks the words up (ranges of the primary key); only when
 * one is missing does a second look for candidates through the trigram
 * index, in a transaction that lowers the similarity threshold for it alone.
 */
export async function correctQuery(ctx: DictionaryContext, name: string, text: string): Promise<string | null> {
  const scopes = dictionaryScopes(ctx.caller)
  const words = queryWords(text)
  if (!scopes || !words.length) return null
  const index = await servedIndex(ctx, name)
  if (!index) return null
  const db = ctx.db
  const last = words[words.length - 1]
  const { rows: heldRows } = await db.raw(
    `SELECT DISTINCT word FROM search_word
     WHERE index_name = ? AND scope = ANY (?::text[]) AND word = ANY (?::text[])
     UNION ALL
     SELECT ?::text WHERE EXISTS (
       SELECT FROM search_word
       WHERE index_name = ? AND scope = ANY (?::text[]) AND word >= ? AND word < ? || chr(1114111))`,
    [index, textArray(scopes), textArray(words), last, index, textArray(scopes), last, last]
  )
  const held = new Set((heldRows as { word: string }[]).map((r) => r.word))
  const missing = [...new Set(words.filter((w) => !held.has(w) && w.length >= CORRECT_FROM))]
  if (!missing.length) return null

  const rows: { w: string; word: string; documents: number }[] = await db.transaction(async (trx) => {
    await trx.raw(`SET LOCAL pg_trgm.similarity_threshold = ${CANDIDATE_SIMILARITY}`)
    // The inner query is kept apart (OFFSET 0) so that the trigram index finds
    // the similar words and the scope is checked on those, rather than every
    // word of the scope being compared.
    const { rows } = await trx.raw(
      `SELECT q.w, c.word, c.documents
       FROM unnest(?::text[]) AS q(w)
       CROSS JOIN LATERAL (
         SELECT d.word, sum(d.documents)::int AS documents, max(similarity(d.word, q.w)) AS sim
         FROM (SELECT * FROM search_word WHERE word % q.w OFFSET 0) d
         WHERE d.index_name = ? AND d.scope = ANY (?::text[])
         GROUP BY d.word
         ORDER BY sim DESC, documents DESC, d.word
         LIMIT ${CANDIDATES_PER_WORD}
       ) c`,
      [textArray(missing), index, textArray(scopes)]
    )
    return rows
  })

  let changed = false
  const corrected = words.map((word, i) => {
    if (!missing.includes(word)) return word
    const allowed = word.length >= TWO_EDITS_FROM ? 2 : 1
    const isLast = i === words.length - 1
    let best: { word: string; edits: number; documents: number } | null = null
    for (const c of rows.filter((r) => r.w === word)) {
      const edits = isLast ? prefixEdits(word, c.word) : editDistance(word, c.word)
      if (edits > allowed) continue
      if (!best || edits < best.edits || (edits === best.edits && c.documents > best.documents)) {
        best = { word: c.word, edits, documents: c.documents }
      }
    }
    if (!best) return word
    changed = true
    return best.word
  })
  return changed ? corrected.join(" ") : null
}

/**
 * Completions of a word being typed: the caller's dictionary words that
 * start with `prefix`, most documents first. A range scan of the dictionary's
 * primary key per scope.
 */
export async function completeWord(
  ctx: DictionaryContext,
  name: string,
  prefix: string,
  limit: number
): Promise<{ word: string; documents: number }[]> {
  const scopes = dictionaryScopes(ctx.caller)
  if (!scopes || !prefix) return []
  const index = await servedIndex(ctx, name)
  if (!index) return []
  const { rows } = await ctx.db.raw(
    `SELECT word, sum(documents)::int AS documents
     FROM search_word
     WHERE index_name = ? AND scope = ANY (?::text[]) AND word >= ? AND word < ? || chr(1114111)
     GROUP BY word
     ORDER BY documents DESC, word
     LIMIT ?`,
    [index, textArray(scopes), prefix, prefix, limit]
  )
  return rows
}

/**
 * The physical index the Search Module searches for `name`, as its provider
 * noted it. Before any search in this process, an empty one (no hits, no
 * count: the provider only looks the index up) makes the module name it.
 * Null when the provider notes none (another engine): no dictionary then.
 */
async function servedIndex(ctx: DictionaryContext, name: string): Promise<string | null> {
  const known = servingIndex(name)
  if (known) return known
  const search = ctx.scope.resolve(Modules.SEARCH) as any
  await search.search({ entity: name, fields: ["id"], pagination: { skip: 0, take: 0 }, search_options: { count: "none" } })
  return servingIndex(name) ?? null
}

/** Edits (insert, delete, replace, swap of neighbours) between two words. */
export function editDistance(a: string, b: string): number {
  const x = [...a]
  const y = [...b]
  const d: number[][] = Array.from({ length: x.length + 1 }, (_, i) => [i, ...Array(y.length).fill(0)])
  for (let j = 1; j <= y.length; j++) d[0][j] = j
  for (let i = 1; i <= x.length; i++) {
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1)
    }
  }
  return d[x.length][y.length]
}

/** Edits between a word being typed and the closest start of `word` (one character longer or shorter at most). */
function prefixEdits(typed: string, word: string): number {
  const n = [...typed].length
  const chars = [...word]
  let best = Infinity
  for (const len of [n - 1, n, n + 1]) {
    if (len < 1 || len > chars.length) continue
    best = Math.min(best, editDistance(typed, chars.slice(0, len).join("")))
  }
  return best
}

/** A PostgreSQL text[] literal (knex would spread a JavaScript array into a list of values). */
function textArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(",")}}`
}
