import { operationNameLabel, OTHER_OPERATIONS } from "../plugins/metrics"

describe("operationNameLabel", () => {
  it("keeps the first names it sees, then counts new ones as other, and calls unnamed operations Anonymous", () => {
    const label = operationNameLabel(2)
    expect(["A", "B", "A", "C", undefined, "B", "D"].map(label)).toEqual(["A", "B", "A", OTHER_OPERATIONS, "Anonymous", "B", OTHER_OPERATIONS])
  })
})
