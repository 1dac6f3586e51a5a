import { createHash } from "node:crypto"
import type { Actor } from "./context"

type RequestLike = { ip?: string; headers: Record<string, string | string[] | undefined> }

/** Long enough to keep storefronts apart, short enough to keep keys small; and no key in clear in Redis. */
const keyDigest = (value: string) => createHash("sha256").update(value).digest("base64url").slice(0, 16)

/**
 * Whose budget a request spends: an admin's own (user or secret API key,
 * whatever address it comes from), else that of the caller's address and
 * publishable key together, so that two storefronts behind one address, or
 * two shoppers with one storefront key, do not share a bucket. The address is
 * Express's `req.ip`: Medusa trusts one proxy hop, so behind a proxy it is
 * the address the proxy saw.
 */
export function clientKey(actor: Actor, req: RequestLike): string {
  if (actor.kind === "admin") return `admin:${actor.id}`
  const header = req.headers["x-publishable-api-key"]
  const publishableKey = Array.isArray(header) ? header.join(",") : header
  return `store:${publishableKey ? keyDigest(publishableKey) : "-"}:${req.ip ?? "unknown"}`
}
