import type { ExecutionResult, GraphQLError } from "graphql"

// An operation with @defer or @stream answers in parts (incremental
// delivery): a first result with hasNext, then payloads that each add data
// at a path. What an answer amounts to (for its cost) is all of them merged.

type Path = ReadonlyArray<string | number>

/** One part of an incremental answer, in the shape @graphql-tools/executor sends. */
export type IncrementalPart = ExecutionResult & {
  hasNext?: boolean
  incremental?: ReadonlyArray<{
    data?: Record<string, unknown> | null
    items?: ReadonlyArray<unknown> | null
    path?: Path
    errors?: ReadonlyArray<GraphQLError>
  }>
}

/** Gathers the parts of an incremental answer into the one result they amount to. */
export function incrementalMerge() {
  let data: Record<string, unknown> | null | undefined
  const errors: GraphQLError[] = []

  const at = (path: Path): unknown => path.reduce<unknown>((value, key) => (value as any)?.[key], data)

  return {
    add(part: IncrementalPart) {
      // Copies: the parts are the response's own, already sent or about to be.
      if (part.data !== undefined) data = part.data && structuredClone(part.data)
      errors.push(...(part.errors ?? []))
      for (const patch of part.incremental ?? []) {
        errors.push(...(patch.errors ?? []))
        const path = patch.path ?? []
        if (patch.items) {
          // A streamed list: the path ends with the index of the first item.
          const list = at(path.slice(0, -1))
          const start = Number(path[path.length - 1])
          if (Array.isArray(list)) patch.items.forEach((item, i) => (list[start + i] = structuredClone(item)))
        } else if (patch.data) {
          const target = at(path)
          if (target && typeof target === "object") deepMerge(target as Record<string, unknown>, structuredClone(patch.data))
        }
      }
    },
    /** Everything received so far, as one result. */
    result(): Pick<ExecutionResult, "data" | "errors"> {
      return { data, ...(errors.length ? { errors } : {}) }
    },
  }
}

function deepMerge(target: Record<string, unknown>, source: Record<string, unknown>) {
  for (const [key, value] of Object.entries(source)) {
    const current = target[key]
    if (isObject(current) && isObject(value)) deepMerge(current, value)
    else target[key] = value
  }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  !!value && typeof value === "object" && !Array.isArray(value)
