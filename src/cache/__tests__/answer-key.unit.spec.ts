import { answerKey, rulesFingerprint } from "../answer-key"

describe("answerKey", () => {
  const input = { source: "{ brands(first: 2) { nodes { id } } }", operationName: null, variables: { a: 1 }, caller: "key:pk_1" }
  const rules = rulesFingerprint({ maxDepth: 8, trustedDocuments: "allow" })

  it("is the same for the same operation, caller and rules", () => {
    expect(answerKey({ ...input, operationName: undefined }, rules)).toBe(answerKey(input, rules))
    expect(answerKey({ ...input, variables: { a: 1 } }, rules)).toBe(answerKey(input, rules))
  })

  it("differs by document, operation name, variables, caller and the rules that admit an operation", () => {
    const keys = [
      answerKey(input, rules),
      answerKey({ ...input, source: "{ brands(first: 3) { nodes { id } } }" }, rules),
      answerKey({ ...input, operationName: "Named" }, rules),
      answerKey({ ...input, variables: { a: 2 } }, rules),
      answerKey({ ...input, caller: "key:pk_2" }, rules),
      answerKey({ ...input, caller: "admin" }, rules),
      answerKey(input, rulesFingerprint({ maxDepth: 4, trustedDocuments: "allow" })),
      answerKey(input, rulesFingerprint({ maxDepth: 8, trustedDocuments: "only" })),
    ]
    expect(new Set(keys).size).toBe(keys.length)
  })
})
