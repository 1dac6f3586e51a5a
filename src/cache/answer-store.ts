/**
 * Where whole GraphQL answers are kept (in this process, or in Redis shared by
 * every instance), each with the tags of what it holds: the ids of the
 * records in it and the lists it is (see answer-tags.ts). A change drops the
 * answers tagged with what it changed (see change-table.ts), nothing else.
 *
 * A read takes a ticket before it reads anything; its answer is stored only
 * if none of its tags was purged after the ticket was taken. A read that
 * raced a write is then answered but not kept, so that no stale answer
 * outlives the write.
 */
export type Ticket = { readonly epoch: string; readonly seq: number; readonly at: number }

export interface AnswerStore {
  /** A ticket for a read that is about to start. */
  begin(): Promise<Ticket>
  /** The answer kept under `key`, as the JSON it is sent as. */
  get(key: string): Promise<string | undefined>
  /** Keeps `json` under `key` for `ttlMs`, tagged with `tags`, unless one of them was purged after `ticket`; says whether it did. */
  set(key: string, json: string, tags: readonly string[], ttlMs: number, ticket: Ticket): Promise<boolean>
  /** Drops every answer tagged with one of `tags`. */
  purge(tags: readonly string[]): Promise<void>
}

/** The tag every answer carries: purging it empties the store. */
export const ALL = "all"
