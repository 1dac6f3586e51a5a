import { CatalogInputError } from "../errors"
import { parseLocale } from "../locale"

describe("parseLocale", () => {
  it("takes BCP 47 tags and normalizes them as Medusa does", () => {
    expect(parseLocale("fr-FR")).toBe("fr-FR")
    expect(parseLocale("FR-fr")).toBe("fr-FR")
    expect(parseLocale("de")).toBe("de")
    expect(parseLocale("zh-hans")).toBe("zh-Hans")
    expect(parseLocale("zh-hans-cn")).toBe("zh-Hans-CN")
    expect(parseLocale("es-419")).toBe("es-419")
  })

  it("refuses anything else as the caller's input", () => {
    for (const tag of ["", "f", "fr_FR", "français", "fr-FR;", "fr-FR ", "fr--FR", "x".repeat(36), "fr-\u0000", "1234"]) {
      expect(() => parseLocale(tag)).toThrow(CatalogInputError)
    }
  })
})
