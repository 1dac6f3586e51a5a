import { toDecimalString } from "../decimal"

describe("toDecimalString", () => {
  it.each([
    [19.99, "19.99"],
    [20, "20"],
    [0.1 + 0.2, "0.30000000000000004"],
    [1e21, "1000000000000000000000"],
    [1e-7, "0.0000001"],
    [-0, "0"],
    [-12.5, "-12.5"],
    ["19.9900", "19.99"],
    ["0020.000", "20"],
    ["-0.00", "0"],
    [{ value: "19.990000000000000000", precision: 20 }, "19.99"],
    [{ value: "3.333333333333333333", precision: 20 }, "3.333333333333333333"],
    [{ value: 7 }, "7"],
  ])("%p -> %p", (input, expected) => {
    expect(toDecimalString(input)).toBe(expected)
  })

  it.each([[Number.NaN], [Infinity], ["abc"], [null], [{}], ["1.2.3"]])("refuses %p", (input) => {
    expect(() => toDecimalString(input)).toThrow()
  })
})
