import { Client, fetchExchange } from "@urql/core"
import { persistedExchange } from "@urql/exchange-persisted"

/**
 * A GraphQL client as a frontend would build it: urql over fetch. With
 * `trusted`, operations go by the hash that codegen put into each typed
 * document (`__meta__.hash`) instead of by their text.
 */
export function createUrqlClient(baseUrl: string, options: { headers?: Record<string, string>; trusted?: boolean } = {}) {
  const exchanges = options.trusted
    ? [
        persistedExchange({
          enforcePersistedQueries: true,
          enableForMutation: true,
          preferGetForPersistedQueries: false,
          generateHash: async (_query, document) => (document as any).__meta__.hash,
        }),
        fetchExchange,
      ]
    : [fetchExchange]
  return new Client({
    url: `${baseUrl}/graphql`,
    exchanges,
    preferGetMethod: false,
    requestPolicy: "network-only",
    fetchOptions: () => ({ headers: options.headers ?? {} }),
  })
}
