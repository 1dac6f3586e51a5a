import { incrementalMerge } from "../incremental"

describe("incrementalMerge", () => {
  it("merges deferred fragments at their path and streamed items at their index, without touching the parts", () => {
    const first = { data: { products: { totalCount: 3, nodes: [{ id: "a" }] } }, hasNext: true }
    const deferred = { incremental: [{ data: { title: "A", brand: { name: "B" } }, path: ["products", "nodes", 0] }], hasNext: true }
    const streamed = { incremental: [{ items: [{ id: "b" }, { id: "c" }], path: ["products", "nodes", 1] }], hasNext: true }
    const nested = {
      incremental: [{ data: { brand: { handle: "b" } }, path: ["products", "nodes", 0], errors: [{ message: "x" } as any] }],
      hasNext: false,
    }
    const merge = incrementalMerge()
    for (const part of [first, deferred, streamed, nested]) merge.add(part)
    expect(merge.result()).toEqual({
      data: {
        products: { totalCount: 3, nodes: [{ id: "a", title: "A", brand: { name: "B", handle: "b" } }, { id: "b" }, { id: "c" }] },
      },
      errors: [{ message: "x" }],
    })
    expect(first.data.products.nodes).toEqual([{ id: "a" }])
    expect(deferred.incremental[0].data.brand).toEqual({ name: "B" })
  })
})
