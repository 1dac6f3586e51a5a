import { MemoryCatalogVersions } from "../catalog-versions"
import { VersionedMemo } from "../versioned-memo"

describe("VersionedMemo.getEach", () => {
  const setUp = () => {
    const versions = new MemoryCatalogVersions()
    const memo = new VersionedMemo<{ v: string }>(versions, { max: 100, ttlMs: 60_000 })
    const asked: string[][] = []
    const compute = async (missing: readonly string[]) => {
      asked.push([...missing])
      return missing.map((key) => (key.startsWith("absent") ? null : { v: key }))
    }
    return { versions, memo, asked, compute }
  }

  it("computes only the keys it holds nothing for, once, and keeps an absent key as absent", async () => {
    const { memo, asked, compute } = setUp()
    expect(await memo.getEach({}, ["product"], ["a", "absent-b"], compute)).toEqual([{ v: "a" }, null])
    expect(await memo.getEach({}, ["product"], ["c", "a", "absent-b", "c"], compute)).toEqual([
      { v: "c" },
      { v: "a" },
      null,
      { v: "c" },
    ])
    expect(asked).toEqual([["a", "absent-b"], ["c"]])
  })

  it("shares one computation between concurrent requests that miss the same key", async () => {
    const { memo, asked, compute } = setUp()
    const [one, two] = await Promise.all([
      memo.getEach({}, ["product"], ["a", "b"], compute),
      memo.getEach({}, ["product"], ["b", "c"], compute),
    ])
    expect(one).toEqual([{ v: "a" }, { v: "b" }])
    expect(two).toEqual([{ v: "b" }, { v: "c" }])
    expect(asked).toEqual([["a", "b"], ["c"]])
  })

  it("reads again after a domain it depends on changes, and not after another", async () => {
    const { versions, memo, asked, compute } = setUp()
    await memo.getEach({}, ["product", "brand"], ["a"], compute)
    await versions.bump(["search"])
    await memo.getEach({}, ["product", "brand"], ["a"], compute)
    expect(asked).toHaveLength(1)
    await versions.bump(["brand"])
    await memo.getEach({}, ["product", "brand"], ["a"], compute)
    expect(asked).toHaveLength(2)
  })

  it("keeps nothing of a computation that failed", async () => {
    const { memo, asked, compute } = setUp()
    await expect(memo.getEach({}, ["product"], ["a"], async () => Promise.reject(new Error("down")))).rejects.toThrow("down")
    expect(await memo.getEach({}, ["product"], ["a"], compute)).toEqual([{ v: "a" }])
    expect(asked).toEqual([["a"]])
  })

  it("computes everything, and keeps nothing, while the versions are out of reach", async () => {
    const { asked, compute } = setUp()
    const down = new VersionedMemo<{ v: string }>(
      { read: () => Promise.reject(new Error("Redis down")), bump: async () => {} },
      { max: 100, ttlMs: 60_000 }
    )
    await down.getEach({}, ["product"], ["a"], compute)
    await down.getEach({}, ["product"], ["a"], compute)
    expect(asked).toEqual([["a"], ["a"]])
  })
})
