import { CatalogAccessError } from "../errors"
import { dictionaryScopes, editDistance, queryWords } from "../search-dictionary"

describe("search dictionary", () => {
  it("splits a query into lower-case words of letters and digits", () => {
    expect(queryWords("Classic  BACK-pack, v2!")).toEqual(["classic", "back", "pack", "v2"])
    expect(queryWords("'\"%_*: & | <->")).toEqual([])
    expect(queryWords("café 😀 ünïcode")).toEqual(["café", "ünïcode"])
  })

  it("counts a swap of neighbours as one edit", () => {
    expect(editDistance("shrit", "shirt")).toBe(1)
    expect(editDistance("bakpack", "backpack")).toBe(1)
    expect(editDistance("kettle", "bottle")).toBe(2)
    expect(editDistance("", "abc")).toBe(3)
    expect(editDistance("same", "same")).toBe(0)
  })

  it("reads the scopes of the caller's visibility", () => {
    expect(dictionaryScopes({ kind: "admin" })).toEqual(["*"])
    expect(dictionaryScopes({ kind: "storefront", salesChannelIds: null, keyChannelIds: ["sc_1"] })).toEqual(["published"])
    expect(dictionaryScopes({ kind: "storefront", salesChannelIds: ["sc_1", "sc_2"], keyChannelIds: ["sc_1", "sc_2"] })).toEqual(["sc_1", "sc_2"])
    expect(dictionaryScopes({ kind: "storefront", salesChannelIds: [], keyChannelIds: [] })).toBeNull()
    expect(() => dictionaryScopes({ kind: "none", reason: "PUBLISHABLE_KEY_REQUIRED" })).toThrow(CatalogAccessError)
  })
})
