import { canonicalVariant, type ImageSigner } from "./signing"
import { isSafeKey } from "./source"
import { IMAGE_FORMATS, transformProblem, type ImageFormat, type ImageTransform } from "./transform"

// The URL of a transformed image: /images/<signature>/<size>/<file>.<format>
//   size: w200, h150, w200h150, or "full" (format only)
//   file: the local provider's file key, base64url (it may hold slashes)

export const IMAGE_ROUTE = "/images"

/** A variant the route may serve: its source file and transform, signature checked. */
export type ImageVariant = { fileKey: string; transform: ImageTransform; canonical: string }

function sizeToken(t: ImageTransform): string {
  const token = `${t.maxWidth != null ? `w${t.maxWidth}` : ""}${t.maxHeight != null ? `h${t.maxHeight}` : ""}`
  return token || "full"
}

/** The signed URL of a variant, under `origin` (the public address of this server). */
export function variantUrl(origin: string, signer: ImageSigner, fileKey: string, t: ImageTransform): string {
  const file = `${Buffer.from(fileKey).toString("base64url")}.${t.format}`
  return `${origin}${IMAGE_ROUTE}/${signer.sign(canonicalVariant(fileKey, t))}/${sizeToken(t)}/${file}`
}

export type VariantParams = { signature: string; size: string; file: string }

/**
 * The variant a URL's path parameters name: "malformed" when they cannot be a
 * URL the API made, "forged" when its signature does not match.
 */
export function parseVariant(params: VariantParams, signer: ImageSigner): ImageVariant | "malformed" | "forged" {
  const full = params.size === "full"
  const size = full ? [] : /^(?:w([1-9]\d{0,4}))?(?:h([1-9]\d{0,4}))?$/.exec(params.size)
  const file = /^([A-Za-z0-9_-]{1,1400})\.([a-z]+)$/.exec(params.file)
  if (!size || !file || (!full && !size[1] && !size[2])) return "malformed"
  if (!/^[A-Za-z0-9_-]{22}$/.test(params.signature)) return "malformed"
  const format = file[2] as ImageFormat
  const transform: ImageTransform = {
    maxWidth: size[1] ? Number(size[1]) : null,
    maxHeight: size[2] ? Number(size[2]) : null,
    format,
  }
  if (!IMAGE_FORMATS.includes(format) || transformProblem(transform)) return "malformed"
  const fileKey = Buffer.from(file[1], "base64url").toString("utf8")
  if (!isSafeKey(fileKey) || Buffer.from(fileKey).toString("base64url") !== file[1]) return "malformed"
  const canonical = canonicalVariant(fileKey, transform)
  return signer.verify(canonical, params.signature) ? { fileKey, transform, canonical } : "forged"
}
