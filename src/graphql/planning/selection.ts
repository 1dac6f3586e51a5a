import {
  getDirectiveValues,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  isAbstractType,
  isObjectType,
  Kind,
  type FieldNode,
  type GraphQLResolveInfo,
  type SelectionSetNode,
} from "graphql"

/** The fields selected on one type, by field name (aliases merged). */
export type Selection = Map<string, FieldNode[]>

/**
 * Collects the fields that the selection sets ask of `typeName`, following
 * fragment spreads and inline fragments whose type condition applies, and
 * honouring @skip/@include.
 */
export function collectFields(
  info: GraphQLResolveInfo,
  selectionSets: readonly (SelectionSetNode | undefined)[],
  typeName: string,
  into: Selection = new Map()
): Selection {
  for (const set of selectionSets) {
    if (!set) continue
    for (const selection of set.selections) {
      if (!isIncluded(info, selection)) continue
      switch (selection.kind) {
        case Kind.FIELD: {
          const name = selection.name.value
          into.set(name, [...(into.get(name) ?? []), selection])
          break
        }
        case Kind.INLINE_FRAGMENT:
          if (appliesTo(info, selection.typeCondition?.name.value, typeName)) {
            collectFields(info, [selection.selectionSet], typeName, into)
          }
          break
        case Kind.FRAGMENT_SPREAD: {
          const fragment = info.fragments[selection.name.value]
          if (fragment && appliesTo(info, fragment.typeCondition.name.value, typeName)) {
            collectFields(info, [fragment.selectionSet], typeName, into)
          }
          break
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

function appliesTo(info: GraphQLResolveInfo, condition: string | undefined, typeName: string) {
  if (!condition || condition === typeName) return true
  const conditionType = info.schema.getType(condition)
  const objectType = info.schema.getType(typeName)
  return (
    !!conditionType &&
    isAbstractType(conditionType) &&
    isObjectType(objectType) &&
    info.schema.isSubType(conditionType, objectType)
  )
}

function isIncluded(info: GraphQLResolveInfo, node: { directives?: readonly any[] }) {
  if (!node.directives?.length) return true
  const skip = getDirectiveValues(GraphQLSkipDirective, node as any, info.variableValues)
  if (skip?.if === true) return false
  const include = getDirectiveValues(GraphQLIncludeDirective, node as any, info.variableValues)
  return include?.if !== false
}
