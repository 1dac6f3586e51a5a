import { buildSchema as buildFromSdl, getNamedType, GraphQLError, isObjectType, parse, type GraphQLSchema } from "graphql"
import { MAX_LIST_SIZE } from "../../../catalog/filters"
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from "../../../catalog/keyset"
import { MAX_PREDICTIVE_LIMIT } from "../../../catalog/predictive-search"
import { buildSchema } from "../../schema"
import { listSizeOf } from "../estimators"
import { actualCost, requestedCost } from "../operation-cost"
import { SCAN_COST } from "../scan-cost"
import { STRING_FILTER_COST } from "../string-filter-cost"

const schema = buildSchema()
const args = (query: string, variableValues: Record<string, unknown> = {}, inSchema: GraphQLSchema = schema) => ({
  schema: inSchema,
  document: parse(query),
  variableValues,
})

describe("operation cost", () => {
  it("counts a connection at its page size, variables applied, and gives every caller of one execution the same figure", () => {
    const nested = args(`query ($n: Int) { brands(first: $n) { nodes { name products(first: 10) { nodes { id } } } } }`, { n: 5 })
    // brands: 1 + 5 × (nodes: 1 + name 1 + products (1 + 10 × (nodes 1 + id 1)))
    expect(requestedCost(nested)).toBe(1 + 5 * (1 + 1 + (1 + 10 * 2)))
    expect(requestedCost(nested)).toBe(requestedCost(nested))
    expect(requestedCost(args(`query ($n: Int!) { brands(first: $n) { totalCount } }`, { n: "many" }))).toBeUndefined()
  })

  it("costs one parsed document again for each value of its variables, and not for variables it does not declare", () => {
    const query = `query ($n: Int, $m: Int = 4) { brands(first: $n) { nodes { products(first: $m) { nodes { id } } } } }`
    const document = parse(query)
    const cost = (variableValues: Record<string, unknown>) => requestedCost({ schema, document, variableValues })
    // Each parse is a document of its own: nothing kept for another applies.
    const fresh = (variableValues: Record<string, unknown>) => requestedCost(args(query, variableValues))
    const seen = [{ n: 5 }, { n: 5, unused: 1 }, { n: 7 }, { n: 5, m: null }, { n: 5, m: 9 }, { n: "many" }, { n: 5 }].map(cost)
    expect(seen).toEqual([fresh({ n: 5 }), fresh({ n: 5 }), fresh({ n: 7 }), fresh({ n: 5, m: null }), fresh({ n: 5, m: 9 }), undefined, fresh({ n: 5 })])
    expect(new Set(seen.slice(2, 5)).size).toBe(3)
    expect(seen[0]).not.toBe(seen[2])
  })

  it("adds each string filter: a contains as a scan, eq and in values as lookups, longer strings a little more", () => {
    const base = requestedCost(args(`{ products(first: 1) { totalCount } }`))!
    const filtered = (filter: string) => requestedCost(args(`{ products(first: 1, filter: ${filter}) { totalCount } }`))! - base
    expect(filtered(`{ title: { contains: "lamp" } }`)).toBe(STRING_FILTER_COST.contains + 1)
    expect(filtered(`{ title: { contains: "${"x".repeat(25)}" } }`)).toBe(STRING_FILTER_COST.contains + 3)
    expect(filtered(`{ handle: { eq: "lamp" } }`)).toBe(STRING_FILTER_COST.value + 1)
    expect(filtered(`{ handle: { in: ["a", "b", "c"] } }`)).toBe(3 * (STRING_FILTER_COST.value + 1))
    // Ids are indexed lookups and count nothing more.
    expect(filtered(`{ id: { in: ["prod_1", "prod_2"] }, brandId: { eq: "brand_1" } }`)).toBe(0)
    // Inside a nested connection, once per parent like everything there.
    const nestedBase = requestedCost(args(`{ brands(first: 3) { nodes { products(first: 1) { totalCount } } } }`))!
    const nested = requestedCost(args(`query ($f: ProductFilter) { brands(first: 3) { nodes { products(first: 1, filter: $f) { totalCount } } } }`, {
      f: { title: { contains: "lamp" } },
    }))!
    expect(nested - nestedBase).toBe(3 * (STRING_FILTER_COST.contains + 1))
  })

  it("prices stock and variant selection like their neighbours: a point per field, per product of the page", () => {
    const page = (fields: string) => requestedCost(args(`{ products(first: 10) { nodes { id ${fields} } } }`))!
    const base = page("")
    // As Product.variants { price { amount } } is priced: 1 per field, its selection inside.
    expect(page("variants { price { amount } }") - base).toBe(10 * 3)
    expect(page("availableForSale variants { availableForSale quantityAvailable }") - base).toBe(10 * (1 + 1 + 2))
    expect(page("options { valueAvailability { value availableForSale } }") - base).toBe(10 * (1 + 1 + 2))
    const selected = `variantBySelectedOptions(selectedOptions: [{ name: "Size", value: "M" }]) { id quantityAvailable }`
    expect(page(selected) - base).toBe(10 * 3)
  })

  it("counts what came back: each connection at the most nodes one of its pages held, never above the request", () => {
    const query = args(`{ brands(first: 10) { list: nodes { name products(first: 20) { edges { node { id } } } } } }`)
    const requested = requestedCost(query)!
    const data = {
      brands: {
        list: [
          { name: "a", products: { edges: [{ node: { id: "1" } }, { node: { id: "2" } }] } },
          { name: "b", products: { edges: [{ node: { id: "3" } }] } },
          { name: "c", products: { edges: [] } },
        ],
      },
    }
    // brands at 3, products at 2 (the largest page): 1 + 3 × (1 + 1 + (1 + 2 × (1 + 1 + 1)))
    expect(actualCost(query, requested, { data })).toBe(1 + 3 * (1 + 1 + (1 + 2 * 3)))
    // Nothing came back, and no error says why: each connection counts one node.
    expect(actualCost(query, requested, { data: null })).toBe(1 + 1 * (1 + 1 + (1 + 1 * 3)))
    // Fragments and string filters: the filter was run whatever came back.
    const filtered = args(`{ products(first: 50, filter: { title: { contains: "x" } }) { ...P } } fragment P on ProductConnection { nodes { id } }`)
    const filteredRequested = requestedCost(filtered)!
    expect(filteredRequested).toBe(1 + STRING_FILTER_COST.contains + 1 + 50 * 2)
    expect(actualCost(filtered, filteredRequested, { data: { products: { nodes: [{ id: "1" }, { id: "2" }] } } })).toBe(
      1 + STRING_FILTER_COST.contains + 1 + 2 * 2
    )
  })

  it("charges a failed operation for what it ran: what an error nulled counts at its requested size", () => {
    const query = args(`{ brands(first: 10) { nodes { name products(first: 20) { nodes { id } } } } extra: products(first: 101) { nodes { id } } }`)
    const requested = requestedCost(query)!
    const error = [new GraphQLError("first must be between 0 and 100", { extensions: { code: "BAD_USER_INPUT" } })]
    // The error nulled all of data: nothing is refunded.
    expect(actualCost(query, requested, { data: null, errors: error })).toBe(requested)
    // Partial data: what came back counts as returned, what the error nulled at its size.
    const partial = {
      data: { brands: { nodes: [{ name: "a", products: { nodes: [{ id: "1" }] } }, { name: "b", products: null }] }, extra: null },
      errors: error,
    }
    // brands at 2, products at 20 (one of its pages failed), extra at 100.
    expect(actualCost(query, requested, partial)).toBe(1 + 2 * (1 + 1 + (1 + 20 * 2)) + (1 + 100 * 2))
    // The same data without an error: the absent page is not counted in full.
    expect(actualCost(query, requested, { data: { brands: { nodes: [] }, extra: { nodes: [] } } })).toBe(1 + 1 * (1 + 1 + (1 + 1 * 2)) + (1 + 1 * 2))
  })

  it("prices a search's facets and counts once per search, not per hit, and its scans as scans", () => {
    const search = (first: number, selection: string) => requestedCost(args(`{ searchProducts(query: "lamp", first: ${first}) { ${selection} } }`))!
    const facets = `facets { brands { count brand { name } } categories { count } prices { count } }`
    const hits = `nodes { id title }`
    // The hits grow with the page; facets and counts do not.
    expect(search(50, `${hits} ${facets}`) - search(1, `${hits} ${facets}`)).toBe(49 * 3)
    expect(search(50, `totalCount ${facets}`)).toBe(search(1, `totalCount ${facets}`))
    // A search (its count, and a typo-tolerant pass when nothing matches as typed) is a scan, as a contains filter is.
    expect(search(1, "totalCount")).toBe(1 + SCAN_COST.search + 1)
    expect(SCAN_COST.search).toBe(STRING_FILTER_COST.contains)
    // Each facet list: an aggregation over every match, plus the values it lists.
    expect(search(1, "facets { brands { count } }")).toBe(1 + SCAN_COST.search + 1 + (1 + SCAN_COST.facet + 50 * 1))
    // A normal search page (20 hits, the count, every facet) fits within the default cost limit many times over.
    expect(search(20, `${hits} totalCount pageInfo { hasNextPage } ${facets}`)).toBeLessThan(10_000)
    // The products connection's count and page info are no longer multiplied either.
    expect(requestedCost(args(`{ products(first: 50) { totalCount pageInfo { hasNextPage } nodes { id } } }`))).toBe(1 + 1 + 2 + 50 * 2)
  })

  it("multiplies the lists that @listSize sizes, and no others, whatever their types are called", () => {
    const test = buildFromSdl(`
      directive @listSize(sizeArgs: [String!]!, defaultSize: Int!, maxSize: Int!, sizedFields: [String!]) on FIELD_DEFINITION
      type Item { id: ID! name: String }
      type ItemConnection { nodes: [Item!]! }
      type Query {
        items(first: Int, last: Int): [Item!]! @listSize(sizeArgs: ["first", "last"], defaultSize: 5, maxSize: 10)
        byIds(ids: [ID!]!): [Item]! @listSize(sizeArgs: ["ids"], defaultSize: 10, maxSize: 10)
        page(first: Int): ItemConnection! @listSize(sizeArgs: ["first"], defaultSize: 5, maxSize: 10, sizedFields: ["nodes"])
        plain(first: Int): [Item!]!
        unsized(first: Int): ItemConnection!
      }
    `)
    const cost = (query: string, variables?: Record<string, unknown>) => requestedCost(args(query, variables, test))
    // 1 + size × (id 1 + name 1)
    expect(cost(`{ items(first: 3) { id name } }`)).toBe(1 + 3 * 2)
    expect(cost(`{ items(last: 4) { id name } }`)).toBe(1 + 4 * 2)
    expect(cost(`{ items { id name } }`)).toBe(1 + 5 * 2)
    expect(cost(`query ($n: Int) { items(first: $n) { id name } }`, { n: 50 })).toBe(1 + 10 * 2)
    expect(cost(`{ items(first: 0) { id name } }`)).toBe(1 + 1 * 2)
    expect(cost(`{ byIds(ids: ["a", "b", "c"]) { id } }`)).toBe(1 + 3 * 1)
    // Without the directive a list counts once, its size argument and type name notwithstanding.
    expect(cost(`{ plain(first: 100) { id name } }`)).toBe(1 + 2)
    expect(cost(`{ unsized(first: 100) { nodes { id } } }`)).toBe(1 + (1 + 1))

    // The actual cost counts what the sized fields held; a list without sizedFields counts in full.
    const page = args(`{ page(first: 10) { list: nodes { id } } byIds(ids: ["a", "b"]) { id } }`, {}, test)
    const requested = requestedCost(page)!
    expect(requested).toBe(1 + 10 * (1 + 1) + 1 + 2 * 1)
    const data = { page: { list: [{ id: "1" }, { id: "2" }, { id: "3" }] }, byIds: [null, null] }
    expect(actualCost(page, requested, { data })).toBe(1 + 3 * (1 + 1) + 1 + 2 * 1)
    expect(actualCost(page, requested, { data: null })).toBe(1 + 1 * (1 + 1) + 1 + 2 * 1)
  })

  it("sizes every connection and nodes(ids:) of the API with the paging and list limits", () => {
    const sized = new Map<string, unknown>()
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith("__")) continue
      for (const field of Object.values(type.getFields())) {
        const listSize = listSizeOf(schema, field)
        if (listSize) sized.set(`${type.name}.${field.name}`, listSize)
        // A connection without the directive would count one page as one node.
        if (getNamedType(field.type).name.endsWith("Connection")) expect([type.name, field.name, listSize]).toEqual([type.name, field.name, expect.anything()])
      }
    }
    const page = { sizeArgs: ["first", "last"], defaultSize: DEFAULT_PAGE_SIZE, maxSize: MAX_PAGE_SIZE, sizedFields: ["nodes", "edges"] }
    expect(Object.fromEntries(sized)).toEqual({
      "Brand.products": page,
      "Query.brands": page,
      "Query.products": page,
      "Query.nodes": { sizeArgs: ["ids"], defaultSize: MAX_LIST_SIZE, maxSize: MAX_LIST_SIZE },
      "Query.searchProducts": page,
      // A facet lists up to 50 values, the most counted first (FACET_LIMIT in src/catalog/search.ts).
      "ProductSearchFacets.brands": { sizeArgs: [], defaultSize: 50, maxSize: 50 },
      "ProductSearchFacets.categories": { sizeArgs: [], defaultSize: 50, maxSize: 50 },
      "ProductSearchFacets.prices": { sizeArgs: [], defaultSize: 21, maxSize: 21 },
      // At most `limit` of each list (MAX_PREDICTIVE_LIMIT in src/catalog/predictive-search.ts).
      "Query.predictiveSearch": {
        sizeArgs: ["limit"],
        defaultSize: 5,
        maxSize: MAX_PREDICTIVE_LIMIT,
        sizedFields: ["queries", "products", "brands", "categories"],
      },
    })
  })
})
