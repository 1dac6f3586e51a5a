import type { DocumentNode, FieldNode, OperationDefinitionNode, SelectionSetNode } from "graphql"
import { fieldsOf, fragmentsOf, type Fragments } from "./selection-fields"

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

/**
 * The most items any one value of a field held in the result, counted in the
 * given child fields; undefined when the field has no value in the result
 * (not reached, or nulled by an error).
 */
export type ReturnedPageSize = (node: FieldNode, sizedFields: readonly string[]) => number | undefined

/**
 * For each field of the operation that returned objects, the most items any
 * one of its values holds in the result, counted in the child fields that
 * its `@listSize` names (a connection's `nodes` and `edges`):
 * `Brand.products` under 20 brands counts its largest page. A field that is
 * not in the result (an error, a null parent) has no size, nor has one that
 * is null under any parent: the connections are never null unless an error
 * nulled them, and then what they returned says nothing of what they ran.
 */
export function returnedPageSizes(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  data: Record<string, unknown> | null | undefined
): ReturnedPageSize {
  const fragments = fragmentsOf(document)
  const values = new Map<FieldNode, Record<string, unknown>[]>()
  const nulled = new Set<FieldNode>()
  const walk = (selectionSet: SelectionSetNode, value: unknown): void => {
    if (Array.isArray(value)) return value.forEach((item) => walk(selectionSet, item))
    if (!value || typeof value !== "object") return
    for (const field of fieldsOf(selectionSet, fragments)) {
      if (!field.selectionSet) continue
      const child = (value as Record<string, unknown>)[responseKey(field)]
      // Present as null: a connection (never null) that an error nulled. Absent: not of this item's type.
      if (child === null) nulled.add(field)
      else if (typeof child === "object" && !Array.isArray(child)) {
        values.set(field, [...(values.get(field) ?? []), child as Record<string, unknown>])
      }
      walk(field.selectionSet, child)
    }
  }
  walk(operation.selectionSet, data)
  return (node, sizedFields) => {
    const found = values.get(node)
    if (!found || !node.selectionSet || nulled.has(node)) return undefined
    return Math.max(0, ...found.map((value) => pageLength(node.selectionSet!, value, sizedFields, fragments)))
  }
}
