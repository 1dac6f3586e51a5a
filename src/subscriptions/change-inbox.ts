import { mergeChanges, type CatalogChangeMessage } from "./catalog-change"
import { onCatalogChange } from "./catalog-pubsub"
import { trackStream } from "./open-streams"

/** Changes a stream holds while it is busy; past this many they are merged into one. */
const MAX_PENDING = 100

/**
 * One stream's changes, from the moment it opens: they wait here while the
 * stream reads or its client is slow, and are taken all at once. `next()`
 * gives null once the inbox is closed (the client left, the stream ended, the
 * process shuts down).
 */
export class ChangeInbox {
  private pending: CatalogChangeMessage[] = []
  private wake: (() => void) | undefined
  private closed = false
  private readonly cleanups: (() => void)[] = []

  constructor() {
    this.cleanups.push(onCatalogChange((change) => this.push(change)))
    this.cleanups.push(trackStream(() => this.close()))
  }

  push(change: CatalogChangeMessage): void {
    if (this.closed) return
    this.pending.push(change)
    if (this.pending.length > MAX_PENDING) this.pending = [mergeChanges(this.pending)]
    this.wake?.()
  }

  /** The changes that arrived since the last call (at least one), or null once closed. */
  async next(): Promise<CatalogChangeMessage[] | null> {
    while (!this.closed && !this.pending.length) await new Promise<void>((resolve) => (this.wake = resolve))
    this.wake = undefined
    if (this.closed) return null
    const taken = this.pending
    this.pending = []
    return taken
  }

  close(): void {
    if (this.closed) return
    this.closed = true
    this.pending = []
    for (const cleanup of this.cleanups.splice(0)) cleanup()
    this.wake?.()
  }
}
