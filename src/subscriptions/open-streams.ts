/**
 * The subscription streams this process holds open, so that shutting down
 * can end them: Medusa's graceful shutdown waits for every response to
 * finish, and a stream never would. On SIGTERM or SIGINT each stream ends
 * (its client gets `complete`) and new ones are refused.
 */
const streams = new Set<() => void>()
let shuttingDown = false
let hooked = false

export function trackStream(end: () => void): () => void {
  if (!hooked) {
    hooked = true
    for (const signal of ["SIGTERM", "SIGINT"] as const) process.once(signal, endAllStreams)
  }
  streams.add(end)
  return () => void streams.delete(end)
}

/** Ends every open stream; later ones are refused (see isShuttingDown). */
export function endAllStreams(): void {
  shuttingDown = true
  for (const end of [...streams]) end()
}

export function isShuttingDown(): boolean {
  return shuttingDown
}

/** How many streams are open in this process. */
export function openStreamCount(): number {
  return streams.size
}
