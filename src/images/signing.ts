import { createHmac, timingSafeEqual } from "node:crypto"
import type { ImageTransform } from "./transform"

// A transformed image's URL carries an HMAC of what it asks for, so that only
// URLs the API handed out are encoded: no one can make the server encode
// sizes or files of their own choosing (decision 0019).

/** What a signature covers: the file and the whole transform, in one fixed order. */
export function canonicalVariant(fileKey: string, t: ImageTransform): string {
  return `v1|${fileKey}|${t.maxWidth ?? ""}|${t.maxHeight ?? ""}|${t.format}`
}

export type ImageSigner = { sign(canonical: string): string; verify(canonical: string, signature: string): boolean }

/**
 * A signer keyed by a key derived from the server's secret (Medusa's cookie
 * secret): images get a key of their own, so a signature is useless as
 * anything else. 128 bits of HMAC-SHA256, base64url.
 */
export function imageSigner(serverSecret: string): ImageSigner {
  const key = createHmac("sha256", serverSecret).update("product image variants").digest()
  const sign = (canonical: string) => createHmac("sha256", key).update(canonical).digest().subarray(0, 16).toString("base64url")
  return {
    sign,
    verify(canonical, signature) {
      const expected = Buffer.from(sign(canonical))
      const given = Buffer.from(signature)
      return given.length === expected.length && timingSafeEqual(given, expected)
    },
  }
}
