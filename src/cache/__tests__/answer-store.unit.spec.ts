import { memoryAnswerStore } from "../memory-answer-store"

const store = () => memoryAnswerStore({ maxBytes: 1 << 20, maxEntryBytes: 1 << 16, maxReadMs: 60_000 })

describe("memoryAnswerStore", () => {
  it("keeps an answer until a purge of one of its tags, and only that", async () => {
    const answers = store()
    const ticket = await answers.begin()
    expect(await answers.set("a", "A", ["prod_1", "products"], 60_000, ticket)).toBe(true)
    expect(await answers.set("b", "B", ["brand_1", "brands"], 60_000, ticket)).toBe(true)
    await answers.purge(["prod_1"])
    expect(await answers.get("a")).toBeUndefined()
    expect(await answers.get("b")).toBe("B")
  })

  it("does not keep a read that a purge of one of its tags raced", async () => {
    const answers = store()
    const ticket = await answers.begin()
    await answers.purge(["prod_1"])
    expect(await answers.set("a", "stale", ["prod_1"], 60_000, ticket)).toBe(false)
    expect(await answers.get("a")).toBeUndefined()
    // A purge of other tags does not stop it.
    const next = await answers.begin()
    await answers.purge(["prod_2"])
    expect(await answers.set("a", "fresh", ["prod_1"], 60_000, next)).toBe(true)
  })

  it("purges everything through the tag every answer carries", async () => {
    const answers = store()
    const ticket = await answers.begin()
    await answers.set("a", "A", ["x"], 60_000, ticket)
    await answers.purge(["all"])
    expect(await answers.get("a")).toBeUndefined()
  })

  it("keeps no read that took longer than a read may", async () => {
    const answers = memoryAnswerStore({ maxBytes: 1 << 20, maxEntryBytes: 1 << 16, maxReadMs: 10 })
    const ticket = await answers.begin()
    await new Promise((r) => setTimeout(r, 20))
    expect(await answers.set("a", "A", ["x"], 60_000, ticket)).toBe(false)
  })
})
