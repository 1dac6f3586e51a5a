import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { createAdmin } from "../helpers/admin"
import { errorCode, gql } from "../helpers/graphql"
import { useStorefrontKey } from "../helpers/storefront"

jest.setTimeout(120 * 1000)

// As in production, where introspection is off unless GRAPHQL_INTROSPECTION=true.
medusaIntegrationTestRunner({
  inApp: true,
  env: { GRAPHQL_INTROSPECTION: "false" },
  testSuite: ({ api, getContainer }) => {
    beforeAll(async () => {
      await useStorefrontKey(api, getContainer())
    })

    describe("with introspection off", () => {
      it("refuses __schema and __type, for admins too, before anything runs", async () => {
        const admin = await createAdmin(getContainer(), api)
        for (const headers of [{}, admin.headers]) {
          for (const query of [`{ __schema { types { name } } }`, `{ __type(name: "Brand") { fields { name } } }`]) {
            const res = await gql(api, query, {}, headers)
            expect(errorCode(res)).toBe("GRAPHQL_VALIDATION_FAILED")
            expect(res.errors![0].message).toMatch(/introspection has been disabled/)
            expect(res.data).toBeUndefined()
          }
        }
      })

      it("suggests no names for a mistyped field, argument, input field or enum value", async () => {
        const field = await gql(api, `{ brands(first: 1) { nodes { nam } } }`)
        expect(errorCode(field)).toBe("GRAPHQL_VALIDATION_FAILED")
        expect(field.errors![0].message).toBe('Cannot query field "nam" on type "Brand". [Suggestion hidden]')
        const enumValue = await gql(api, `{ brands(first: 1, orderBy: { field: NAM }) { totalCount } }`)
        expect(errorCode(enumValue)).toBe("GRAPHQL_VALIDATION_FAILED")
        expect(enumValue.errors![0].message).toBe('Value "NAM" does not exist in "BrandOrderField" enum. [Suggestion hidden]')
        const argument = await gql(api, `{ brands(frist: 1) { totalCount } }`)
        expect(argument.errors![0].message).toBe('Unknown argument "frist" on field "Query.brands". [Suggestion hidden]')
        // Variables are checked when the operation runs, after validation.
        const variable = await gql(api, `query ($f: BrandFilter) { brands(filter: $f) { totalCount } }`, { f: { nam: { eq: "x" } } })
        expect(variable.errors![0].message).toContain('Field "nam" is not defined by type "BrandFilter". [Suggestion hidden]')
        for (const res of [field, enumValue, argument, variable]) expect(JSON.stringify(res.errors)).not.toMatch(/Did you mean/)
      })

      it("still answers __typename and ordinary queries", async () => {
        const res = await gql(api, `{ __typename brands(first: 1) { totalCount nodes { __typename } } }`)
        expect(res.status).toBe(200)
        expect({ data: res.data, errors: res.errors }).toEqual({
          data: { __typename: "Query", brands: { totalCount: 0, nodes: [] } },
          errors: undefined,
        })
      })
    })
  },
})
