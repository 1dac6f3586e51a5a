import { DirectiveLocation, parse, validate } from "graphql"
import { buildSchema } from "../../schema"

describe("@inContext", () => {
  const schema = buildSchema()

  it("is defined on query and subscription operations, with a region id or a currency code, and a locale", () => {
    const directive = schema.getDirective("inContext")
    expect(directive?.locations).toEqual([DirectiveLocation.QUERY, DirectiveLocation.SUBSCRIPTION])
    expect(directive?.args.map((a) => [a.name, a.type.toString()]).sort()).toEqual([
      ["currencyCode", "String"],
      ["locale", "String"],
      ["regionId", "ID"],
    ])
  })

  it("is refused on a mutation", () => {
    const errors = validate(schema, parse(`mutation @inContext(currencyCode: "eur") { productUnsetBrand(productId: "p") { userErrors { code } } }`))
    expect(errors.map((e) => e.message)).toEqual([`Directive "@inContext" may not be used on MUTATION.`])
  })
})
