import type { MedusaNextFunction, MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import getRawBody from "raw-body"

export type BodyLimits = {
  /** Largest body read, in bytes. */
  maxBodyBytes: number
  /** Most bytes of a larger body read and dropped before the 413 (0: none). */
  discardBodyMaxBytes: number
  /** Longest time spent dropping them, in milliseconds. */
  discardBodyTimeoutMs: number
}

/**
 * Reads a /graphql request body of at most `maxBodyBytes` into `req.body` (a
 * Buffer, which the GraphQL server then parses). A larger body is never
 * parsed or kept: it gets 413 with a GraphQL error, and the connection closes.
 *
 * The 413 goes out once the client has sent its whole body, read and dropped
 * here (as nginx's lingering close does): a connection closed while the client
 * is still sending is reset, and clients that write the whole body before they
 * read (Node's fetch, browsers) then see a network error instead of the 413.
 * The dropping is bounded in bytes and time, so that it costs a sender no more
 * than a body of that size would; past a bound the 413 goes out at once.
 */
export function graphqlBodyLimit(settings: () => BodyLimits) {
  // Read on first use: the environment is complete by then.
  let limits: BodyLimits | undefined
  return async (req: MedusaRequest, res: MedusaResponse, next: MedusaNextFunction) => {
    if (req.method !== "POST") return next()
    limits ??= settings()
    const { maxBodyBytes: limit } = limits
    try {
      const body = await getRawBody(req, { length: req.headers["content-length"], limit })
      // An empty body is left to the server, which answers it as a bad request.
      req.body = body.length ? body : undefined
      next()
    } catch (error) {
      if ((error as { type?: string }).type !== "entity.too.large") return next(error)
      const { received = 0 } = error as { received?: number }
      await discardBody(req, received, limits)
      // The client went away while sending: no one to answer.
      if (res.headersSent || req.socket.destroyed) return
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

/**
 * Reads the rest of a request's body and drops it; resolves once it has all
 * arrived, the client has gone, or a bound is reached. `alreadyRead` bytes of
 * it were read before. A body that says it is longer than the bound is not
 * read at all: it would not be read to its end anyway.
 */
function discardBody(req: MedusaRequest, alreadyRead: number, limits: BodyLimits): Promise<void> {
  const declared = Number(req.headers["content-length"])
  if (req.readableEnded || (Number.isFinite(declared) && declared > limits.discardBodyMaxBytes)) {
    return Promise.resolve()
  }
  return new Promise((resolve) => {
    let dropped = alreadyRead
    const done = () => {
      clearTimeout(timer)
      req.off("data", onData).off("end", done).off("close", done).off("error", done)
      // Anything still arriving is left unread: the connection closes after the 413.
      req.pause()
      resolve()
    }
    const onData = (chunk: Buffer) => {
      dropped += chunk.length
      if (dropped > limits.discardBodyMaxBytes) done()
    }
    const timer = setTimeout(done, limits.discardBodyTimeoutMs)
    req.on("data", onData).once("end", done).once("close", done).once("error", done)
    req.resume()
  })
}
