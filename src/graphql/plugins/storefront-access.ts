import { getOperationAST, GraphQLError, Kind, type DocumentNode, type ExecutionResult } from "graphql"
import type { Plugin } from "graphql-yoga"
import { CatalogAccessError } from "../../catalog/errors"
import type { GraphQLContext } from "../context"

/** Root fields that read no catalog data: the playground and codegen need them without a key. */
const KEYLESS_FIELDS = new Set(["__typename", "__schema", "__type"])

type Hook = {
  args: { contextValue: GraphQLContext; document: DocumentNode; operationName?: string | null }
  setResultAndStopExecution: (result: ExecutionResult) => void
}

/**
 * A query or subscription from a caller without a valid publishable API key
 * (and without admin credentials) is refused whole before it runs, with the
 * key's code, unless it asks only for introspection or __typename. Mutations
 * keep their own answer (they need an admin).
 */
export function storefrontAccess(): Plugin<GraphQLContext> {
  const refuse = ({ args, setResultAndStopExecution }: Hook) => {
    const { caller } = args.contextValue
    if (caller.kind !== "none") return
    const operation = getOperationAST(args.document, args.operationName)
    if (!operation || operation.operation === "mutation") return
    const readsData = operation.selectionSet.selections.some(
      (s) => s.kind !== Kind.FIELD || !KEYLESS_FIELDS.has(s.name.value)
    )
    if (!readsData) return
    const denied = new CatalogAccessError(caller.reason)
    setResultAndStopExecution({
      errors: [new GraphQLError(denied.message, { extensions: { code: denied.code, http: { status: 401 } } })],
    })
  }
  return { onExecute: refuse, onSubscribe: refuse }
}
