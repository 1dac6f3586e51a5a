import { positionOf, weightClassOf, type WeightedPosition } from "./tsvector-text"

/**
 * PostgreSQL's `ts_rank_cd` (cover density, no normalization, default
 * weights), which the PostgreSQL search provider orders by relevance with,
 * computed from the positions of a document's matched words.
 *
 * A cover is a shortest run of matched positions that holds every word of the
 * query. Each cover adds (its positions / the sum of their inverse weights),
 * divided by 1 + the unmatched positions inside it. Covers are found left to
 * right, the next one starting after the first position of the last.
 */

/** D, C, B, A as PostgreSQL keeps them (float4), inverted in double precision as it does. */
const INVERSE_WEIGHTS = [0.1, 0.2, 0.4, 1.0].map((w) => 1 / Math.fround(w))

/** The weight a lone matched position contributes (a cover of one position). */
export const POSITION_WEIGHTS = INVERSE_WEIGHTS.map((inverse) => 1 / inverse)

/**
 * The rank of one document. `entries` are its matched positions, ascending
 * and unique, each with the bit mask of the query words matched there;
 * `all` is the mask of every query word (at most 30).
 */
export function coverDensityRank(positions: readonly WeightedPosition[], masks: readonly number[], all: number): number {
  const n = positions.length
  let total = 0
  let start = 0
  while (start < n) {
    let seen = 0
    let end = -1
    for (let i = start; i < n; i++) {
      seen |= masks[i]
      if (seen === all) {
        end = i
        break
      }
    }
    if (end < 0) break
    seen = 0
    let begin = end
    for (let i = end; i >= start; i--) {
      seen |= masks[i]
      if (seen === all) {
        begin = i
        break
      }
    }
    let inverseSum = 0
    for (let i = begin; i <= end; i++) inverseSum += INVERSE_WEIGHTS[weightClassOf(positions[i])]
    const density = (end - begin + 1) / inverseSum
    let noise = positionOf(positions[end]) - positionOf(positions[begin]) - (end - begin)
    if (noise < 0) noise = Math.trunc((end - begin) / 2)
    total += density / (1 + noise)
    start = begin + 1
  }
  return Math.fround(total)
}
