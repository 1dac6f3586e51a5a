import type { UserError, UserErrorCode } from "./__generated__/resolvers-types"

/** What a failed workflow reports: MedusaError fields, plus ours (`field`). */
type WorkflowError = { type?: string; message?: string; field?: string }

const CODES: Record<string, UserErrorCode> = {
  not_found: "NOT_FOUND",
  duplicate_error: "TAKEN",
  invalid_data: "INVALID",
}

/**
 * Turns the error of a failed workflow into userErrors when it is about the
 * input. `fieldPath` maps the error's field to its path in the mutation's
 * arguments. Anything else is not the caller's fault: it is rethrown, and
 * the server masks and logs it.
 */
export function toUserErrors(
  errors: { error?: unknown }[] | undefined,
  fieldPath: (field: string | undefined, code: UserErrorCode) => string[] | null
): UserError[] {
  const error = (errors?.[0]?.error ?? errors?.[0]) as WorkflowError | undefined
  const code = error?.type ? CODES[error.type] : undefined
  if (!error || !code) throw errorFrom(error)
  return [{ field: fieldPath(error.field, code), message: error.message ?? "Invalid input.", code }]
}

function errorFrom(error: unknown): Error {
  if (error instanceof Error) return error
  const e = new Error((error as WorkflowError)?.message ?? "Workflow failed")
  Object.assign(e, error)
  return e
}
