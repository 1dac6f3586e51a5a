import type { MedusaNextFunction, MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { imageRuntime } from "../../images/runtime"
import { parseVariant, type ImageVariant } from "../../images/variant-url"

/**
 * Checks a transformed image's URL before the route runs: a path that cannot
 * be one the API made answers 404, one whose signature does not match 403.
 * The route then finds the variant in `res.locals.imageVariant`.
 */
export function validateImageVariant(req: MedusaRequest, res: MedusaResponse, next: MedusaNextFunction) {
  const params = req.params as Record<string, string>
  const variant = parseVariant(
    { signature: params.signature ?? "", size: params.size ?? "", file: params.file ?? "" },
    imageRuntime(req.scope).signer
  )
  if (variant === "malformed") {
    res.status(404).json({ type: "not_found", message: "No such image." })
    return
  }
  if (variant === "forged") {
    res.status(403).json({ type: "not_allowed", message: "The image URL's signature does not match: use a URL the API gave." })
    return
  }
  res.locals.imageVariant = variant
  next()
}

export function imageVariantOf(res: MedusaResponse): ImageVariant {
  return res.locals.imageVariant as ImageVariant
}
