import { collectFields as collectResponseFields } from "@graphql-tools/utils"
import { isObjectType, type FieldNode, type GraphQLResolveInfo, type SelectionSetNode } from "graphql"

/** The fields selected on one type, by field name (aliases merged). */
export type Selection = Map<string, FieldNode[]>

/**
 * Collects the fields that the selection sets ask of `typeName`, by field
 * name. The walking is graphql-tools' `collectFields`, the algorithm of the
 * GraphQL spec: fragment spreads and inline fragments whose type condition
 * applies (an interface or union the type belongs to included), @skip and
 * @include. It keys fields by response name; aliases of one field are merged
 * here, since a projection asks for a column once however often it is named.
 */
function collectFields(
  info: GraphQLResolveInfo,
  selectionSets: readonly (SelectionSetNode | undefined)[],
  typeName: string
): Selection {
  const runtimeType = info.schema.getType(typeName)
  if (!isObjectType(runtimeType)) throw new Error(`collectFields: ${typeName} is not an object type of the schema`)
  const into: Selection = new Map()
  for (const set of selectionSets) {
    if (!set) continue
    const { fields, patches } = collectResponseFields(info.schema, info.fragments, info.variableValues, runtimeType, set)
    // @defer'd fragments come back apart; their fields are read all the same.
    for (const group of [fields, ...patches.map((p) => p.fields)]) {
      for (const nodes of group.values()) {
        for (const node of nodes) {
          const name = node.name.value
          into.set(name, [...(into.get(name) ?? []), node])
        }
      }
    }
  }
  return into
}

/** The selection under the given field nodes, as asked of `typeName`. */
export function subSelection(
  info: GraphQLResolveInfo,
  fieldNodes: readonly FieldNode[] | undefined,
  typeName: string
): Selection {
  return collectFields(info, (fieldNodes ?? []).map((f) => f.selectionSet), typeName)
}

export type ConnectionSelection = {
  /** Fields asked of each node, through `nodes` or `edges.node`. */
  node: Selection
  totalCount: boolean
}

/** What a client asked of a connection field (XConnection { nodes edges pageInfo totalCount }). */
export function connectionSelection(
  info: GraphQLResolveInfo,
  fieldNodes: readonly FieldNode[],
  nodeType: string
): ConnectionSelection {
  const connection = subSelection(info, fieldNodes, `${nodeType}Connection`)
  const edges = subSelection(info, connection.get("edges"), `${nodeType}Edge`)
  const nodeFieldNodes = [...(connection.get("nodes") ?? []), ...(edges.get("node") ?? [])]
  return {
    node: subSelection(info, nodeFieldNodes, nodeType),
    totalCount: connection.has("totalCount"),
  }
}
