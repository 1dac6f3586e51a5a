import { firstFreeHandle, isValidHandle, toHandle } from "../utils/handle"

describe("brand handles", () => {
  it("derives a URL-safe handle from a name", () => {
    expect(toHandle("Café Noir & Co.")).toBe("cafe-noir-co")
    expect(toHandle("  Fjord   Audio  ")).toBe("fjord-audio")
    expect(toHandle("%%%")).toBe("brand")
    expect(toHandle("x".repeat(300))).toHaveLength(200)
  })

  it("accepts lowercase letters, digits and single dashes only", () => {
    expect(isValidHandle("acme-2")).toBe(true)
    for (const bad of ["Acme", "acme_2", "-acme", "acme-", "ac--me", "", "a b"]) {
      expect(isValidHandle(bad)).toBe(false)
    }
  })

  it("suffixes a taken handle with the first free number", () => {
    expect(firstFreeHandle("acme", new Set())).toBe("acme")
    expect(firstFreeHandle("acme", new Set(["acme", "acme-2"]))).toBe("acme-3")
  })

  it("with a spread, picks one of that many free handles", () => {
    const taken = new Set(["acme", "acme-3"])
    expect(firstFreeHandle("acme", taken, 4, () => 0)).toBe("acme-2")
    expect(firstFreeHandle("acme", taken, 4, () => 0.99)).toBe("acme-6")
    const picked = new Set(Array.from({ length: 200 }, () => firstFreeHandle("acme", taken, 4)))
    expect([...picked].sort()).toEqual(["acme-2", "acme-4", "acme-5", "acme-6"])
  })
})
