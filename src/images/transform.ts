// What a product image may be turned into: a size that fits in a box and one
// of four formats. No GraphQL here: the resolver and the REST route share it.

export const IMAGE_FORMATS = ["jpg", "png", "webp", "avif"] as const
export type ImageFormat = (typeof IMAGE_FORMATS)[number]

/** The largest width or height a transform may ask for, in pixels: past it encoding time and memory grow for no page. */
export const MAX_IMAGE_DIMENSION = 2048

/** A transform as the app encodes it: a bounding box (either side optional) and a format. */
export type ImageTransform = { maxWidth: number | null; maxHeight: number | null; format: ImageFormat }

export type TransformInput = { maxWidth?: number | null; maxHeight?: number | null; format?: ImageFormat | null }

/** Why a transform is refused (a message for the client), or null when it may be encoded. */
export function transformProblem(input: TransformInput): string | null {
  for (const side of ["maxWidth", "maxHeight"] as const) {
    const value = input[side]
    if (value != null && (!Number.isInteger(value) || value < 1 || value > MAX_IMAGE_DIMENSION)) {
      return `transform.${side} must be an integer from 1 to ${MAX_IMAGE_DIMENSION}.`
    }
  }
  if (input.format != null && !IMAGE_FORMATS.includes(input.format)) {
    return `transform.format must be one of ${IMAGE_FORMATS.join(", ")}.`
  }
  return null
}

const FORMAT_OF_EXTENSION: Record<string, ImageFormat> = { jpg: "jpg", jpeg: "jpg", png: "png", webp: "webp", avif: "avif" }

/**
 * The transform to encode, or null when it asks for nothing (the original
 * serves). Without a format the original's is kept when it is one of the four,
 * PNG otherwise (an SVG or a GIF is rasterized), judged by the file's name so
 * that no file is read to build a URL.
 */
export function transformFor(input: TransformInput, fileKey: string): ImageTransform | null {
  if (input.maxWidth == null && input.maxHeight == null && input.format == null) return null
  const extension = /\.([a-z0-9]+)$/i.exec(fileKey)?.[1]?.toLowerCase() ?? ""
  return {
    maxWidth: input.maxWidth ?? null,
    maxHeight: input.maxHeight ?? null,
    format: input.format ?? FORMAT_OF_EXTENSION[extension] ?? "png",
  }
}

export const CONTENT_TYPES: Record<ImageFormat, string> = {
  jpg: "image/jpeg",
  png: "image/png",
  webp: "image/webp",
  avif: "image/avif",
}
