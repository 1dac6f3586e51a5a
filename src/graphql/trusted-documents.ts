import { usePersistedOperations } from "@graphql-yoga/plugin-persisted-operations"
import type { GraphQLParams } from "graphql-yoga"
import manifest from "./__generated__/client/persisted-documents.json"

/** The request field that names a persisted document, as the client preset sends it. */
export const DOCUMENT_ID_PARAM = "documentId"

const documents = new Map<string, string>(Object.entries(manifest))

/** The text of the persisted document `id` names, if the manifest has it. */
export const persistedDocument = (id: string): string | undefined => documents.get(id)

/**
 * The id a request names: `documentId` ("sha256:<hex>", the client preset's
 * form; in the body, or in the URL of a GET) or Apollo's `extensions.persistedQuery.sha256Hash` (bare hex).
 */
function documentIdOf(params: GraphQLParams & { documentId?: unknown }, request: Request): string | null {
  if (typeof params.documentId === "string") return params.documentId
  // Yoga's GET parser keeps only the standard parameters: read it from the URL,
  // so that persisted reads can be sent as cacheable GETs.
  if (request.method === "GET") {
    const fromUrl = new URL(request.url).searchParams.get(DOCUMENT_ID_PARAM)
    if (fromUrl) return fromUrl
  }
  const hash = (params.extensions as any)?.persistedQuery?.sha256Hash
  if (typeof hash === "string") return hash.startsWith("sha256:") ? hash : `sha256:${hash}`
  return null
}

/**
 * Serves the documents of the persisted-documents manifest by id. With
 * mode "only" nothing else runs (trusted documents); with "allow" clients
 * may also send any document in full.
 */
export function trustedDocuments(mode: "only" | "allow") {
  return usePersistedOperations({
    allowArbitraryOperations: mode !== "only",
    extractPersistedOperationId: documentIdOf,
    getPersistedOperation: (id) => documents.get(id) ?? null,
    customErrors: {
      persistedQueryOnly: {
        message: `This server runs trusted documents only: send "${DOCUMENT_ID_PARAM}" of a document from the persisted-documents manifest instead of a query.`,
        extensions: { code: "PERSISTED_QUERY_ONLY", http: { status: 400 } },
      },
      notFound: {
        message: "No trusted document has this id.",
        extensions: { code: "PERSISTED_QUERY_NOT_FOUND", http: { status: 400 } },
      },
      keyNotFound: {
        message: `Send "${DOCUMENT_ID_PARAM}" or a query.`,
        extensions: { code: "PERSISTED_QUERY_ID_REQUIRED", http: { status: 400 } },
      },
    },
  })
}
