/** The cost figures of the operation that computed an answer (rate-limit.ts's extensions.cost). */
export type StoredCost = { requested: number; actual: number }

/**
 * An answer as kept: its data, as the JSON it is sent as, and what serving it
 * again needs without running the operation: its cost (a hit is charged what
 * the answer holds), its operation's name (for the metrics' labels) and its
 * tags (so that a hit names them to an HTTP cache too, surrogate-keys.ts).
 */
export type StoredAnswer = {
  dataJson: string
  cost: StoredCost | null
  operationName: string | null
  tags?: string[]
}

/**
 * Kept as one line of what describes the answer, then its data's JSON (which
 * holds no line break): a hit reads the first line and sends the data as it
 * is, without parsing and serializing it again.
 */
export function encodeAnswer(answer: { data: unknown } & Omit<StoredAnswer, "dataJson">): string {
  const { data, ...about } = answer
  return `${JSON.stringify(about)}\n${JSON.stringify(data ?? null)}`
}

export function decodeAnswer(kept: string): StoredAnswer {
  const end = kept.indexOf("\n")
  return { ...(JSON.parse(kept.slice(0, end)) as Omit<StoredAnswer, "dataJson">), dataJson: kept.slice(end + 1) }
}
