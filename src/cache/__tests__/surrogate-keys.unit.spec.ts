import { answerKeys, purgeKeys, surrogateKey } from "../surrogate-keys"

const id = (kind: string, n: number) => `${kind}_01J${String(n).padStart(23, "0")}`

describe("surrogate keys", () => {
  it("are an answer's tags and `all`, header-safe", () => {
    expect(answerKeys(["access", "products", "prod_01JABCDEFGHJKMNPQRSTVWXYZ0"])).toEqual(["all", "access", "products", "prod_01JABCDEFGHJKMNPQRSTVWXYZ0"])
    // A look-up id a client typed may hold anything: it is sent as a digest, the same one a purge sends.
    const typed = surrogateKey("a b,c")
    expect(typed).toMatch(/^h:[\w-]{22}$/)
    expect(answerKeys(["a b,c"])).toEqual(["all", typed])
    expect(purgeKeys(["a b,c"])).toEqual([typed])
  })

  it("fall back to each record's kind when they would not fit, which every purge of such a record purges too", () => {
    const tags = ["access", "products", ...Array.from({ length: 300 }, (_, n) => id("prod", n)), ...Array.from({ length: 300 }, (_, n) => id("variant", n))]
    expect(answerKeys(tags, 4096)).toEqual(["all", "access", "products", "kind:prod", "kind:variant"])
    expect(answerKeys(tags.slice(0, 10), 4096)).toEqual(["all", ...tags.slice(0, 10)])
    expect(purgeKeys([id("variant", 7)])).toEqual([id("variant", 7), "kind:variant"])
    expect(purgeKeys(["brands", id("brand", 1)])).toEqual(["brands", id("brand", 1), "kind:brand"])
    // Nothing smaller to say: not public.
    expect(answerKeys(Array.from({ length: 300 }, (_, n) => `look-up ${n}`), 4096)).toBeNull()
  })

  it("purge everything for a change that touches everything", () => {
    expect(purgeKeys(["all", "products"])).toEqual(["all"])
  })
})
