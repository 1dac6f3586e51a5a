export type PageInfo = {
  hasNextPage: boolean
  hasPreviousPage: boolean
  startCursor: string | null
  endCursor: string | null
}

export type Edge<T> = { cursor: string; node: T }

/** A Relay connection, computed whole by the catalog. */
export type Connection<T> = {
  edges: Edge<T>[]
  nodes: T[]
  pageInfo: PageInfo
  /** Set when the count was asked for. */
  totalCount?: number
}

export function buildConnection<T>(
  rows: T[],
  cursorOf: (row: T) => string,
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean },
  totalCount?: number
): Connection<T> {
  const edges = rows.map((node) => ({ cursor: cursorOf(node), node }))
  return {
    edges,
    nodes: rows,
    pageInfo: {
      ...pageInfo,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
    totalCount,
  }
}
