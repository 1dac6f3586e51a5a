import { Kind, parse, type FieldNode, type FragmentDefinitionNode, type GraphQLResolveInfo, type OperationDefinitionNode } from "graphql"
import { buildSchema } from "../../schema"
import { connectionSelection, subSelection } from "../selection"

const schema = buildSchema()

/** The info a resolver of the operation's first root field gets (what selection.ts reads of it). */
function infoFor(query: string, variableValues: Record<string, unknown> = {}): GraphQLResolveInfo {
  const document = parse(query)
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION) as OperationDefinitionNode
  const fragments: Record<string, FragmentDefinitionNode> = {}
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d
  const fieldNodes = [operation.selectionSet.selections[0] as FieldNode]
  return { schema, fragments, variableValues, fieldNodes, operation } as unknown as GraphQLResolveInfo
}

describe("selection", () => {
  it("keys fields by field name, merging aliases, through fragments and @skip/@include", () => {
    const info = infoFor(
      `query ($full: Boolean!) {
        product(handle: "x") {
          a: title
          b: title
          handle @include(if: $full)
          description @skip(if: $full)
          ...P
          ... on Product { status }
          ... @include(if: false) { thumbnail }
        }
      }
      fragment P on Product { brand { name } }`,
      { full: true }
    )
    const selection = subSelection(info, info.fieldNodes, "Product")
    expect([...selection.keys()].sort()).toEqual(["brand", "handle", "status", "title"])
    expect(selection.get("title")!.map((f) => f.alias?.value)).toEqual(["a", "b"])
    expect([...subSelection(info, selection.get("brand"), "Brand").keys()]).toEqual(["name"])
  })

  it("applies fragments on an interface to the object types that implement it, and no others", () => {
    const info = infoFor(`{ node(id: "prod_1") { ... on Node { id } ...N ... on Brand { name } ... on Product { title } } } fragment N on Node { __typename }`)
    expect([...subSelection(info, info.fieldNodes, "Product").keys()].sort()).toEqual(["__typename", "id", "title"])
    expect([...subSelection(info, info.fieldNodes, "Brand").keys()].sort()).toEqual(["__typename", "id", "name"])
  })

  it("reads a connection's node fields through nodes and edges.node, and whether totalCount is asked", () => {
    const info = infoFor(`{ products(first: 2) { nodes { id } edges { node { ...T } } } } fragment T on Product { title }`)
    const selection = connectionSelection(info, info.fieldNodes, "Product")
    expect([...selection.node.keys()].sort()).toEqual(["id", "title"])
    expect(selection.totalCount).toBe(false)
    const counted = infoFor(`{ brands { count: totalCount } }`)
    expect(connectionSelection(counted, counted.fieldNodes, "Brand").totalCount).toBe(true)
  })
})
