import { localFileKey } from "../../images/source"
import { imageRuntime } from "../../images/runtime"
import { transformFor, transformProblem } from "../../images/transform"
import { variantUrl } from "../../images/variant-url"
import type { ImageRecord } from "../../catalog/records"
import type { Resolvers } from "../__generated__/resolvers-types"
import type { GraphQLContext } from "../context"
import { badUserInput } from "../errors"

// Product images in the size and format a page needs (src/images/): a
// transform becomes a signed URL of this server; nothing is encoded here.

function dimensionsOf(image: ImageRecord, ctx: GraphQLContext) {
  const images = imageRuntime(ctx.scope)
  const key = image.url ? localFileKey(image.url, images.fileBackendUrl) : null
  return key ? images.dimensions.of(key) : Promise.resolve(null)
}

export const productImageResolvers: Resolvers = {
  ImageFormat: { JPG: "jpg", PNG: "png", WEBP: "webp", AVIF: "avif" },
  ProductImage: {
    url: (image, { transform }, ctx) => {
      const url = image.url ?? ""
      if (!transform) return url
      const problem = transformProblem(transform)
      if (problem) throw badUserInput(problem, "transform")
      const images = imageRuntime(ctx.scope)
      const key = localFileKey(url, images.fileBackendUrl)
      const variant = key ? transformFor(transform, key) : null
      return key && variant ? variantUrl(images.origin, images.signer, key, variant) : url
    },
    width: async (image, _, ctx) => (await dimensionsOf(image, ctx))?.width ?? null,
    height: async (image, _, ctx) => (await dimensionsOf(image, ctx))?.height ?? null,
  },
}
