import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { imageRuntime } from "../../../../../images/runtime"
import { CONTENT_TYPES } from "../../../../../images/transform"
import { imageVariantOf } from "../../../variant-params"

const ONE_YEAR_MS = 365 * 24 * 3600 * 1000

/**
 * A product image resized and re-encoded, as a signed URL from
 * `ProductImage.url(transform:)` names it (checked in src/api/middlewares.ts).
 * Encoded on the first request and kept; the URL names its content for good,
 * so caches may keep it a year without asking again. `x-cache` says whether
 * it was encoded (MISS) or read from storage (HIT).
 */
export async function GET(req: MedusaRequest, res: MedusaResponse) {
  const variant = imageVariantOf(res)
  const stored = await imageRuntime(req.scope).store.get(variant)
  if (typeof stored === "string") {
    res.status(404).json({ type: "not_found", message: "No such image." })
    return
  }
  res.setHeader("Content-Type", CONTENT_TYPES[variant.transform.format])
  res.setHeader("x-cache", stored.fromStore ? "HIT" : "MISS")
  res.sendFile(
    stored.path,
    // .data/ is a dot folder; the path is the store's own, never the client's.
    { maxAge: ONE_YEAR_MS, immutable: true, etag: true, lastModified: true, dotfiles: "allow" },
    (error) => {
      if (error && !res.headersSent) res.status(404).json({ type: "not_found", message: "No such image." })
    }
  )
}
