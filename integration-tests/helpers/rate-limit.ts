/**
 * An operation whose requested cost is exactly `points` (at least 2), and
 * whose actual cost is the same: `nodes(ids:)` costs 1 + one point per id,
 * found or not, so nothing is refunded. Ids go in variables to stay within
 * the token limit. Each call asks for other ids: an answer the response
 * cache holds would be sent without running, and charged nothing.
 */
let calls = 0

export function costing(points: number): [string, Record<string, unknown>] {
  if (points < 2) throw new Error("the cheapest operation here costs 2")
  const chunks: number[] = []
  let left = points
  while (left > 0) {
    // Each alias costs 2 to 101; never leave a remainder of 1.
    let chunk = Math.min(left, 101)
    if (left - chunk === 1) chunk -= 1
    chunks.push(chunk)
    left -= chunk
  }
  const variables: Record<string, unknown> = {}
  const missing = `prod_missing_${++calls}`
  chunks.forEach((chunk, i) => (variables[`i${i}`] = Array.from({ length: chunk - 1 }, () => missing)))
  const query = `query (${chunks.map((_, i) => `$i${i}: [ID!]!`).join(", ")}) { ${chunks
    .map((_, i) => `a${i}: nodes(ids: $i${i}) { id }`)
    .join(" ")} }`
  return [query, variables]
}

/** extensions.cost.throttleStatus of the test bucket (capacity 1000, 1 point a second). */
export const throttleStatus = (currentlyAvailable: number, maximumAvailable = 1000, restoreRate = 1) => ({
  maximumAvailable,
  currentlyAvailable,
  restoreRate,
})
