import type { AxiosInstance, AxiosResponse } from "axios"

/** What a GraphQL request over HTTP answered, whatever its status. */
export type GraphQLResponse<T = any> = {
  status: number
  headers: AxiosResponse["headers"]
  data?: T | null
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[]
  body: any
}

export type Headers = Record<string, string>

/** POSTs a GraphQL document to /graphql; never throws on an HTTP status. */
export async function gql<T = any>(
  api: AxiosInstance,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Headers = {}
): Promise<GraphQLResponse<T>> {
  const res = await api.post(
    "/graphql",
    { query, variables },
    { headers: { "content-type": "application/json", ...headers }, validateStatus: () => true }
  )
  return {
    status: res.status,
    headers: res.headers,
    data: res.data?.data,
    errors: res.data?.errors,
    body: res.data,
  }
}

/** Like gql, but fails on any error and returns `data`. */
export async function gqlData<T = any>(
  api: AxiosInstance,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Headers = {}
): Promise<T> {
  const res = await gql<T>(api, query, variables, headers)
  if (res.status !== 200 || res.errors?.length || !res.data) {
    throw new Error(`GraphQL request failed (${res.status}): ${JSON.stringify(res.body)}\nfor ${query}`)
  }
  return res.data
}

/** The extensions.code of the first error (undefined when there is none). */
export const errorCode = (res: GraphQLResponse) => res.errors?.[0]?.extensions?.code

/** A cursor as the server encodes it (base64url of a JSON array), for crafting bad ones. */
export const craftCursor = (parts: unknown) => Buffer.from(JSON.stringify(parts)).toString("base64url")

/**
 * Counts the SQL statements that reach PostgreSQL while `run` is pending, by
 * wrapping `Client.prototype.query` of the `pg` module. With inApp: true the
 * server runs in this process and Jest's module registry hands the test the
 * same `pg` instance that knex (and so Medusa) loaded. Statements a new pool
 * connection runs on connect (`set search_path`) are left out: they depend on
 * the pool's state, not on the request.
 */
export async function countStatements<T>(run: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pg = require("pg")
  const proto = pg.Client.prototype
  const original = proto.query
  const statements: string[] = []
  proto.query = function (this: unknown, config: any, ...rest: unknown[]) {
    const text = typeof config === "string" ? config : config?.text
    if (typeof text === "string" && !/^\s*set search_path/i.test(text)) statements.push(text)
    return original.call(this, config, ...rest)
  }
  try {
    const result = await run()
    return { result, statements }
  } finally {
    proto.query = original
  }
}
