import { ABSENT, CodeColumn, UNCODED } from "../code-column"

describe("CodeColumn", () => {
  /** A column that has given codes 0 to 7. */
  const eightValues = () => {
    const column = new CodeColumn()
    for (let i = 0; i < 8; i++) column.code(`v${i}`)
    return column
  }
  const counted = (column: CodeColumn, docs: number[]) => {
    const counts = column.count(docs)
    return counts && [...counts]
  }

  it("counts the codes of the documents asked for, each as often as it is held", () => {
    const column = eightValues()
    column.set(0, [1])
    column.set(1, [])
    column.set(2, [1, 3, 3])
    column.set(3, [2])
    expect(counted(column, [0, 1, 2])).toEqual([0, 2, 0, 2, 0, 0, 0, 0])
    expect(counted(column, [3])).toEqual([0, 0, 1, 0, 0, 0, 0, 0])
    expect(counted(column, [])).toEqual([0, 0, 0, 0, 0, 0, 0, 0])
  })

  it("says when a document asked for holds a value without a code", () => {
    const column = eightValues()
    column.set(0, [1])
    column.set(1, [2, -1])
    expect(counted(column, [0])).toEqual([0, 1, 0, 0, 0, 0, 0, 0])
    expect(counted(column, [0, 1])).toBeNull()
  })

  it("grows past its first room, gives skipped positions no codes, and refuses to go back", () => {
    const column = eightValues()
    for (let doc = 0; doc < 3000; doc++) column.set(doc, doc % 2 ? [doc % 8, (doc + 1) % 8] : [doc % 8])
    column.set(3005, [7])
    expect(column.length).toBe(3006)
    expect(counted(column, [2999, 3000, 3004, 3005])).toEqual([1, 0, 0, 0, 0, 0, 0, 2])
    expect(() => column.set(10, [1])).toThrow()
  })

  it("gives each distinct string one code, none to other values, and none past its most values", () => {
    const column = new CodeColumn(2)
    expect([column.code("a"), column.code("b"), column.code("a"), column.code(5), column.code("c")]).toEqual([0, 1, 0, UNCODED, UNCODED])
    expect(column.values).toEqual(["a", "b"])
    column.set(0, [1])
    column.set(1, [])
    column.set(2, [UNCODED])
    expect([0, 1, 2, 3].map((doc) => column.first(doc))).toEqual([1, ABSENT, UNCODED, ABSENT])
  })

  it("keeps the live documents, renumbered in order", () => {
    const column = eightValues()
    ;[[1], [2], [3, 4], [5]].forEach((codes, doc) => column.set(doc, codes))
    column.keep([1, 2])
    expect(column.length).toBe(2)
    expect(counted(column, [0])).toEqual([0, 0, 1, 0, 0, 0, 0, 0])
    expect(counted(column, [1])).toEqual([0, 0, 0, 1, 1, 0, 0, 0])
    column.set(2, [6])
    expect(counted(column, [0, 1, 2])).toEqual([0, 0, 1, 1, 1, 0, 1, 0])
  })
})
