import { createHash } from "node:crypto"

/** What an answer depends on besides the catalog: the operation as run, and who asks. */
export type AnswerKeyInput = {
  /** The document's text: as sent, or the persisted document a `documentId` names. */
  source: string
  operationName: string | null | undefined
  variables: unknown
  /** "admin", or the publishable key as sent: every admin sees the same catalog, a storefront what its key allows. */
  caller: string
}

/** The layout of a kept answer (stored-answer.ts): a new one never reads entries of an old one. */
const ANSWER_FORMAT = "2"

/**
 * The key of an answer in the store. `rules` fingerprints the settings that
 * decide whether an operation may run at all (limits, trusted documents,
 * introspection): instances that share a store but refuse differently never
 * answer each other's operations (see rulesFingerprint).
 */
export function answerKey(input: AnswerKeyInput, rules: string): string {
  return createHash("sha256")
    .update([ANSWER_FORMAT, rules, input.source, input.operationName ?? "", JSON.stringify(input.variables ?? {}), input.caller].join("\u0000"))
    .digest("base64url")
}

/** A short digest of the settings an operation's admission depends on. */
export function rulesFingerprint(settings: Record<string, unknown>): string {
  return createHash("sha256").update(JSON.stringify(settings)).digest("base64url").slice(0, 12)
}
