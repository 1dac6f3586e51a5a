import { GraphQLError, GraphQLScalarType, Kind } from "graphql"

const DECIMAL = /^([+-]?)(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/i

/**
 * A decimal as a plain string in major units: no exponent, no trailing zeros
 * in the fraction ("20", "19.9", "0.0001"). Takes what Medusa hands out: a
 * number (calculated_amount), a numeric string, or a raw amount
 * `{ value, precision }` (raw_calculated_amount, the value as stored). A raw
 * value keeps what PostgreSQL holds, digit for digit; a number is written
 * with the fewest digits that read back as the same number, so 19.99 is
 * "19.99" and never "19.989999999999998".
 */
export function toDecimalString(input: unknown): string {
  let value = input
  if (value && typeof value === "object" && "value" in value) value = (value as { value: unknown }).value
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new TypeError(`Not a finite decimal: ${value}`)
    value = String(value)
  }
  if (typeof value !== "string") throw new TypeError(`Not a decimal: ${JSON.stringify(input)}`)
  const match = DECIMAL.exec(value.trim())
  if (!match) throw new TypeError(`Not a decimal: ${JSON.stringify(value)}`)
  const [, sign, whole, fraction = "", exponent = "0"] = match
  // Move the decimal point by the exponent, then trim zeros on both ends.
  let digits = whole + fraction
  let point = whole.length + Number(exponent)
  if (point < 0) {
    digits = "0".repeat(-point) + digits
    point = 0
  }
  if (point > digits.length) digits += "0".repeat(point - digits.length)
  const intPart = digits.slice(0, point).replace(/^0+(?=\d)/, "") || "0"
  const fracPart = digits.slice(point).replace(/0+$/, "")
  const text = fracPart ? `${intPart}.${fracPart}` : intPart
  return sign === "-" && /[1-9]/.test(text) ? `-${text}` : text
}

function parseDecimal(value: unknown): string {
  if (typeof value !== "string") {
    throw new GraphQLError(`Decimal must be a string in major units, e.g. "19.99".`, {
      extensions: { code: "BAD_USER_INPUT" },
    })
  }
  try {
    return toDecimalString(value)
  } catch {
    throw new GraphQLError(`Not a decimal: ${JSON.stringify(value.slice(0, 40))}; give e.g. "19.99".`, {
      extensions: { code: "BAD_USER_INPUT" },
    })
  }
}

export const DecimalScalar = new GraphQLScalarType({
  name: "Decimal",
  description: 'A decimal number in major units, serialized as a string, e.g. "19.99".',
  serialize: toDecimalString,
  parseValue: parseDecimal,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) {
      throw new GraphQLError(`Decimal must be a string in major units, e.g. "19.99".`, {
        nodes: [ast],
        extensions: { code: "BAD_USER_INPUT" },
      })
    }
    return parseDecimal(ast.value)
  },
})
