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

/** How many items one value of a list field holds: the longest of its sized fields (`nodes`, `edges`), however aliased. */
function pageLength(
  selectionSet: SelectionSetNode,
  value: Record<string, unknown>,
  sizedFields: readonly string[],
  fragments: Fragments
): number {
  let length = 0
  for (const field of fieldsOf(selectionSet, fragments)) {
    if (!sizedFields.includes(field.name.value)) continue
    const list = value[responseKey(field)]
    if (Array.isArray(list)) length = Math.max(length, list.length)
  }
  return length
}

/** The most items any one value of a field held in the result, counted in the given child fields. */
export type ReturnedPageSize = (node: FieldNode, sizedFields: readonly string[]) => number | undefined

/**
 * For each field of the operation that returned objects, the most items any
 * one of its values holds in the result, counted in the child fields that
 * its `@listSize` names (a connection's `nodes` and `edges`):
 * `Brand.products` under 20 brands counts its largest page. A field that is
 * not in the result (an error, a null parent) has no size.
 */
export function returnedPageSizes(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  data: Record<string, unknown> | null | undefined
): ReturnedPageSize {
  const fragments: Fragments = {}
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition
  }
  const values = new Map<FieldNode, Record<string, unknown>[]>()
  const walk = (selectionSet: SelectionSetNode, value: unknown): void => {
    if (Array.isArray(value)) return value.forEach((item) => walk(selectionSet, item))
    if (!value || typeof value !== "object") return
    for (const field of fieldsOf(selectionSet, fragments)) {
      if (!field.selectionSet) continue
      const child = (value as Record<string, unknown>)[responseKey(field)]
      if (child && typeof child === "object" && !Array.isArray(child)) {
        values.set(field, [...(values.get(field) ?? []), child as Record<string, unknown>])
      }
      walk(field.selectionSet, child)
    }
  }
  walk(operation.selectionSet, data)
  return (node, sizedFields) => {
    const found = values.get(node)
    if (!found || !node.selectionSet) return undefined
    return Math.max(0, ...found.map((value) => pageLength(node.selectionSet!, value, sizedFields, fragments)))
  }
}
