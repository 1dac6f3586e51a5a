import { GraphQLError, Kind } from "graphql"
import { DecimalScalar, toDecimalString } from "../decimal"

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

describe("Decimal input", () => {
  const code = (parse: () => unknown) => {
    try {
      parse()
      return "accepted"
    } catch (error) {
      return error instanceof GraphQLError ? error.extensions.code : "untyped"
    }
  }

  it("accepts prices as large and as fine as a price can be", () => {
    expect(DecimalScalar.parseValue("999999999999999.999999999999")).toBe("999999999999999.999999999999")
    expect(DecimalScalar.parseValue("-0001e3")).toBe("-1000")
    expect(DecimalScalar.parseLiteral({ kind: Kind.STRING, value: "19.99" })).toBe("19.99")
  })

  it.each([
    ["400 digits", "1" + "0".repeat(400)],
    ["16 digits", "1" + "0".repeat(15)],
    ["13 decimals", "0." + "0".repeat(12) + "1"],
    ["1e400", "1e400"],
    ["an exponent not to write out", "1e999999999"],
    ["a negative one", "1e-999999999"],
    ["-1e16", "-1e16"],
  ])("refuses %s as BAD_USER_INPUT, as a variable and inline", (_, value) => {
    expect(code(() => DecimalScalar.parseValue(value))).toBe("BAD_USER_INPUT")
    expect(code(() => DecimalScalar.parseLiteral({ kind: Kind.STRING, value }))).toBe("BAD_USER_INPUT")
  })
})
