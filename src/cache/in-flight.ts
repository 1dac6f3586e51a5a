/**
 * The answers being computed in this process, by key. When a change purges
 * an answer many clients ask for, they all miss at once; the first computes
 * it, the others wait until it is stored (or its request ends without
 * storing it, or `maxWaitMs` passes), then read it from the store. Not a
 * cache: nothing outlives the request that computes it.
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
    // A request that fails before it ends its computation must not hold the key.
    setTimeout(() => this.end(key, settled), this.maxWaitMs).unref()
    return true
  }

  /** Waits for the request computing `key`: true once the answer is stored, false if it will not be. */
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

  /** The computation of `key` is over: `stored` says whether its answer is in the store. */
  end(key: string, only?: Promise<boolean>, stored = false): void {
    const entry = this.running.get(key)
    if (!entry || (only && entry.settled !== only)) return
    entry.settle(stored)
    this.running.delete(key)
  }
}
