import Redis from "ioredis"

/**
 * A Redis client for the app's own keys (rate-limit buckets, the response
 * cache), under `prefix`, whose commands fail fast rather than wait for a
 * Redis that is gone: one reconnect, a second at most. Its callers fail open.
 */
export function failFastRedis(url: string, prefix: string): Redis {
  const client = new Redis(url, { keyPrefix: prefix, maxRetriesPerRequest: 1, commandTimeout: 1000 })
  // Errors reach the callers through their commands; without a listener ioredis logs each retry.
  client.on("error", () => {})
  return client
}

/**
 * Fails at once while the client is not connected, rather than queueing the
 * command until Redis is back or the command times out.
 */
export function assertReady(client: Redis): void {
  if (client.status !== "ready") throw new Error(`Redis is ${client.status}`)
}
