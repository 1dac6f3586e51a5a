/** The cost figures of the operation that computed an answer (rate-limit.ts's extensions.cost). */
export type StoredCost = { requested: number; actual: number }

/**
 * An answer as kept: its data, and what serving it again needs without
 * running the operation: its cost (a hit is charged what the answer holds)
 * and its operation's name (for the metrics' labels).
 */
export type StoredAnswer = { data: unknown; cost: StoredCost | null; operationName: string | null }

export const encodeAnswer = (answer: StoredAnswer): string => JSON.stringify(answer)

export const decodeAnswer = (json: string): StoredAnswer => JSON.parse(json) as StoredAnswer
