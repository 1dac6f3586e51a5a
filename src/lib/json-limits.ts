export type JsonLimits = { maxDepth: number; maxBytes?: number }

/** How deep and large `metadata` may be unless configured otherwise (METADATA_MAX_*). */
export const DEFAULT_METADATA_LIMITS = { maxDepth: 8, maxBytes: 16384 }

/**
 * How deeply `value` nests, counted without recursion so that hostile input
 * (thousands of levels) cannot overflow the stack; stops counting past `cap`.
 * A scalar is depth 0, `{}` and `[]` are 1.
 */
export function jsonDepth(value: unknown, cap = Infinity): number {
  let deepest = 0
  const stack: [unknown, number][] = [[value, 0]]
  while (stack.length) {
    const [node, depth] = stack.pop()!
    if (!node || typeof node !== "object") continue
    const level = depth + 1
    if (level > deepest) deepest = level
    if (deepest > cap) return deepest
    for (const child of Object.values(node)) stack.push([child, level])
  }
  return deepest
}

/**
 * What is wrong with a JSON value's shape under `limits` (too deep, too
 * large once serialized), or null. Depth is checked first: serializing a
 * value thousands of levels deep would itself overflow the stack.
 */
export function jsonShapeProblem(value: unknown, limits: JsonLimits): string | null {
  if (jsonDepth(value, limits.maxDepth) > limits.maxDepth) {
    return `nests deeper than ${limits.maxDepth} levels`
  }
  if (limits.maxBytes !== undefined) {
    const bytes = Buffer.byteLength(JSON.stringify(value) ?? "")
    if (bytes > limits.maxBytes) return `is ${bytes} bytes as JSON; at most ${limits.maxBytes} are allowed`
  }
  return null
}
