import { spawnSync } from "node:child_process"
import Redis from "ioredis"

/** The Redis that Redis-backed tests use (the machine's local one by default). */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL || "redis://localhost:6379"

/** Whether a Redis answers PING at TEST_REDIS_URL (checked synchronously, for describe). */
export function redisIsUp(): boolean {
  const { hostname, port } = new URL(TEST_REDIS_URL)
  const probe = `
    const s = require("net").connect(${Number(port || 6379)}, ${JSON.stringify(hostname)}, () => s.write("PING\\r\\n"))
    s.on("data", (d) => process.exit(String(d).startsWith("+PONG") ? 0 : 1))
    s.on("error", () => process.exit(1))
    setTimeout(() => process.exit(1), 2000)`
  return spawnSync(process.execPath, ["-e", probe]).status === 0
}

/** The keys in TEST_REDIS_URL that match a pattern (SCAN, so it never blocks the server). */
export async function redisKeys(pattern: string): Promise<string[]> {
  const client = new Redis(TEST_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 })
  try {
    await client.connect()
    const keys: string[] = []
    let cursor = "0"
    do {
      const [next, batch] = await client.scan(cursor, "MATCH", pattern, "COUNT", 1000)
      keys.push(...batch)
      cursor = next
    } while (cursor !== "0")
    return keys
  } finally {
    client.disconnect()
  }
}
