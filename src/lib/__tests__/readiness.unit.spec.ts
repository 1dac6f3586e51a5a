import { shared } from "../readiness"

describe("shared readiness result", () => {
  it("runs once for concurrent calls and for calls within the reuse window, then afresh", async () => {
    let runs = 0
    const check = shared(async () => {
      runs++
      await new Promise((r) => setTimeout(r, 20))
      return runs
    }, 100)
    const flood = await Promise.all(Array.from({ length: 600 }, () => check()))
    expect(new Set(flood)).toEqual(new Set([1]))
    expect(await check()).toBe(1)
    await new Promise((r) => setTimeout(r, 120))
    expect(await check()).toBe(2)
    expect(runs).toBe(2)
  })

  it("shares a failure with the calls waiting for it, and runs again after it", async () => {
    let runs = 0
    const check = shared(async () => {
      runs++
      throw new Error("down")
    }, 1000)
    const results = await Promise.allSettled([check(), check(), check()])
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected", "rejected"])
    await expect(check()).rejects.toThrow("down")
    expect(runs).toBe(2)
  })
})
