/**
 * The answers being computed in this process, by key. When a change drops
 * an answer that many clients ask for, they all miss at once; each would
 * read the database for the same answer, and each read would be slowed by
 * the others. The first one computes it; the others wait until it is stored
 * (or its request ends without storing it), then read it from the store.
 */
export class AnswersInFlight {
  private readonly running = new Map<string, { settled: Promise<boolean>; settle: (stored: boolean) => void }>()

  constructor(private readonly maxWaitMs: number) {}

  /** Starts computing `key` here; false when another request already is. */
  begin(key: string): boolean {
    if (this.running.has(key)) return false
    let settle!: (stored: boolean) => void
    const settled = new Promise<boolean>((resolve) => (settle = resolve))
    this.running.set(key, { settled, settle })
    return true
  }

  /** Waits for the request computing `key`: true once the answer is stored, false if it will not be (or it takes too long). */
  async wait(key: string): Promise<boolean> {
    const entry = this.running.get(key)
    if (!entry) return false
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), this.maxWaitMs)))
    try {
      return await Promise.race([entry.settled, timeout])
    } finally {
      clearTimeout(timer)
    }
  }

  /** The answer for `key` is in the store. */
  stored(key: string): void {
    this.running.get(key)?.settle(true)
  }

  /** The request computing `key` is done, whether or not it stored an answer. */
  end(key: string): void {
    this.running.get(key)?.settle(false)
    this.running.delete(key)
  }
}
