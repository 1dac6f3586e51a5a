import { CatalogInputError } from "../errors"
import type { VariantRecord } from "../records"
import { anyForSale, quantityAvailable, variantForSale } from "../stock"
import { checkSelectedOptions, variantsWithValue, variantWithOptions } from "../variant-selection"

const variant = (id: string, options: Record<string, string>, stock: Partial<VariantRecord> = {}): VariantRecord => ({
  id,
  options: Object.entries(options).map(([title, value], i) => ({
    id: `${id}-${i}`,
    value,
    option: { id: `opt_${title}`, title },
  })),
  manage_inventory: true,
  allow_backorder: false,
  ...stock,
})

const variants = [
  variant("v1", { Size: "S", Color: "Red" }),
  variant("v2", { Size: "M", Color: "Red" }),
  variant("v3", { Size: "S", Color: "Blue" }, { manage_inventory: false }),
]

describe("variantWithOptions", () => {
  it("matches every option exactly, in any order", () => {
    expect(variantWithOptions(variants, [{ name: "Color", value: "Blue" }, { name: "Size", value: "S" }])?.id).toBe("v3")
  })

  it("answers null for a partial, larger, unknown or differently cased selection", () => {
    for (const selected of [
      [{ name: "Size", value: "S" }],
      [{ name: "Size", value: "S" }, { name: "Color", value: "Red" }, { name: "Fit", value: "Slim" }],
      [{ name: "Size", value: "XL" }, { name: "Color", value: "Red" }],
      [{ name: "size", value: "S" }, { name: "Color", value: "Red" }],
      [],
    ]) {
      expect(variantWithOptions(variants, selected)).toBeNull()
    }
  })

  it("refuses an option named twice, or more than 100 options", () => {
    expect(() => checkSelectedOptions([{ name: "Size", value: "S" }, { name: "Size", value: "M" }])).toThrow(CatalogInputError)
    const many = Array.from({ length: 101 }, (_, i) => ({ name: `o${i}`, value: "v" }))
    expect(() => variantWithOptions(variants, many)).toThrow(CatalogInputError)
  })

  it("lists the variants that have a value of an option, by the option's id", () => {
    expect(variantsWithValue(variants, "opt_Size", "S").map((v) => v.id)).toEqual(["v1", "v3"])
    expect(variantsWithValue(variants, "opt_Fit", "S")).toEqual([])
  })
})

describe("stock rules", () => {
  const managed = { id: "a", manage_inventory: true, allow_backorder: false }
  it("sells a variant in stock, not managed, or on backorder", () => {
    expect(variantForSale(managed, 2)).toBe(true)
    expect(variantForSale(managed, 0)).toBe(false)
    // No inventory item: no location can fulfil it.
    expect(variantForSale(managed, null)).toBe(false)
    expect(variantForSale({ ...managed, allow_backorder: true }, 0)).toBe(true)
    expect(variantForSale({ ...managed, manage_inventory: false }, null)).toBe(true)
    expect(quantityAvailable({ ...managed, manage_inventory: false }, 5)).toBeNull()
    expect(quantityAvailable(managed, 5)).toBe(5)
  })

  it("looks stock up only when no variant sells without it", async () => {
    const load = jest.fn(async (ids: string[]) => ids.map(() => 0))
    expect(await anyForSale([managed, { id: "b", manage_inventory: false }], load)).toBe(true)
    expect(load).not.toHaveBeenCalled()
    expect(await anyForSale([managed], load)).toBe(false)
    expect(load).toHaveBeenCalledWith(["a"])
    expect(await anyForSale([], load)).toBe(false)
  })
})
