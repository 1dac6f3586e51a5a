import { jsonDepth, jsonShapeProblem } from "../json-limits"

/** An object nested `levels` deep: {a:{a:…{}}}. */
function nested(levels: number): Record<string, unknown> {
  const root: Record<string, unknown> = {}
  let node = root
  for (let i = 1; i < levels; i++) node = (node.a = {}) as Record<string, unknown>
  return root
}

describe("JSON input limits", () => {
  it("measures depth without recursion, even 100,000 levels deep", () => {
    expect(jsonDepth("x")).toBe(0)
    expect(jsonDepth({})).toBe(1)
    expect(jsonDepth({ a: [1, { b: null }] })).toBe(3)
    expect(jsonDepth(nested(100_000))).toBe(100_000)
    expect(jsonDepth(nested(100_000), 8)).toBe(9)
  })

  it("says what is wrong: too deep (checked before it is serialized), too large", () => {
    const limits = { maxDepth: 8, maxBytes: 100 }
    expect(jsonShapeProblem(nested(8), limits)).toBeNull()
    expect(jsonShapeProblem(nested(9), limits)).toBe("nests deeper than 8 levels")
    // Serializing this would throw RangeError: the depth check must come first.
    expect(jsonShapeProblem(nested(10_000), limits)).toBe("nests deeper than 8 levels")
    expect(jsonShapeProblem({ s: "x".repeat(92) }, limits)).toBeNull()
    expect(jsonShapeProblem({ s: "x".repeat(93) }, limits)).toMatch(/is 101 bytes as JSON; at most 100/)
    expect(jsonShapeProblem({ s: "é".repeat(47) }, limits)).toMatch(/102 bytes/)
  })
})
