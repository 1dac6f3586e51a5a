import type { MedusaNextFunction, MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import getRawBody from "raw-body"

/**
 * Reads a /graphql request body of at most `maxBytes` into `req.body` (a
 * Buffer, which the GraphQL server then parses). A larger body gets 413
 * before any of it is parsed: at once when Content-Length says so, and as
 * soon as the limit is passed for a body sent in chunks.
 */
export function graphqlBodyLimit(maxBytes: () => number) {
  // Read on first use: the environment is complete by then.
  let limit: number | undefined
  return async (req: MedusaRequest, res: MedusaResponse, next: MedusaNextFunction) => {
    if (req.method !== "POST") return next()
    limit ??= maxBytes()
    try {
      const body = await getRawBody(req, { length: req.headers["content-length"], limit })
      // An empty body is left to the server, which answers it as a bad request.
      req.body = body.length ? body : undefined
      next()
    } catch (error) {
      if ((error as { type?: string }).type !== "entity.too.large") return next(error)
      // Let the client finish sending (discarded unread) so that it sees the answer.
      req.resume()
      res.status(413).set("Connection", "close").json({
        errors: [
          {
            message: `The request body is larger than ${limit} bytes; send a smaller query or its persisted "documentId".`,
            extensions: { code: "PAYLOAD_TOO_LARGE", maxBytes: limit },
          },
        ],
      })
    }
  }
}
