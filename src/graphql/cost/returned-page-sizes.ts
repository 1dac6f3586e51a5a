import {
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql"

type Fragments = Record<string, FragmentDefinitionNode>

/** The fields of a selection set, fragments included (spreads and inline fragments alike). */
function* fieldsOf(selectionSet: SelectionSetNode, fragments: Fragments): Generator<FieldNode> {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) yield selection
    else if (selection.kind === Kind.INLINE_FRAGMENT) yield* fieldsOf(selection.selectionSet, fragments)
    else {
      const fragment = fragments[selection.name.value]
      if (fragment) yield* fieldsOf(fragment.selectionSet, fragments)
    }
  }
}

const responseKey = (field: FieldNode) => (field.alias ?? field.name).value

/** How many nodes a connection's value holds: the length of its `nodes` or `edges`, however aliased. */
function pageLength(selectionSet: SelectionSetNode, value: Record<string, unknown>, fragments: Fragments): number {
  let length = 0
  for (const field of fieldsOf(selectionSet, fragments)) {
    if (field.name.value !== "nodes" && field.name.value !== "edges") continue
    const list = value[responseKey(field)]
    if (Array.isArray(list)) length = Math.max(length, list.length)
  }
  return length
}

/**
 * For each field of the operation that selects `nodes` or `edges`, the most
 * nodes any one of its values holds in the result: `Brand.products` under 20
 * brands counts its largest page. A field that is not in the result
 * (an error, a null parent) is missing from the map.
 */
export function returnedPageSizes(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  data: Record<string, unknown> | null | undefined
): Map<FieldNode, number> {
  const fragments: Fragments = {}
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition
  }
  const sizes = new Map<FieldNode, number>()
  const walk = (selectionSet: SelectionSetNode, value: unknown): void => {
    if (Array.isArray(value)) return value.forEach((item) => walk(selectionSet, item))
    if (!value || typeof value !== "object") return
    for (const field of fieldsOf(selectionSet, fragments)) {
      if (!field.selectionSet) continue
      const child = (value as Record<string, unknown>)[responseKey(field)]
      if (child && typeof child === "object" && !Array.isArray(child)) {
        const length = pageLength(field.selectionSet, child as Record<string, unknown>, fragments)
        sizes.set(field, Math.max(sizes.get(field) ?? 0, length))
      }
      walk(field.selectionSet, child)
    }
  }
  walk(operation.selectionSet, data)
  return sizes
}
