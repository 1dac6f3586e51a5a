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

/**
 * The largest decimal accepted as input: prices and price bounds in major
 * units. Beyond these the value means nothing as a price, and as a number
 * it loses its digits or becomes Infinity on its way to SQL. The exponent is
 * bounded before it is applied, so that "1e999999999" is not written out.
 */
export const DECIMAL_INPUT_LIMITS = { integerDigits: 15, fractionDigits: 12, exponent: 100 } as const

const badDecimal = (message: string) => new GraphQLError(message, { extensions: { code: "BAD_USER_INPUT" } })

function parseDecimal(value: unknown): string {
  if (typeof value !== "string") throw badDecimal(`Decimal must be a string in major units, e.g. "19.99".`)
  const exponent = DECIMAL.exec(value.trim())?.[4]
  let text: string
  try {
    if (exponent && Math.abs(Number(exponent)) > DECIMAL_INPUT_LIMITS.exponent) throw new RangeError()
    text = toDecimalString(value)
  } catch {
    throw badDecimal(`Not a decimal: ${JSON.stringify(value.slice(0, 40))}; give e.g. "19.99".`)
  }
  const [whole, fraction = ""] = text.replace(/^-/, "").split(".")
  const { integerDigits, fractionDigits } = DECIMAL_INPUT_LIMITS
  if (whole.length > integerDigits || fraction.length > fractionDigits) {
    throw badDecimal(
      `Decimal out of range: at most ${integerDigits} digits before the point and ${fractionDigits} after; ` +
        `got ${whole.length} and ${fraction.length}.`
    )
  }
  return text
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
