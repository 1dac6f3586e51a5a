import { createHash } from "node:crypto"
import { promisify } from "node:util"
import { brotliCompress, constants, gzip } from "node:zlib"
import fresh from "fresh"
import type { Plugin } from "graphql-yoga"
import Negotiator from "negotiator"

const brotli = promisify(brotliCompress)
const gzipped = promisify(gzip)

type Encoding = "br" | "gzip"

/** Encodings offered, the server's preference first when a client rates them alike. */
const ENCODINGS: Encoding[] = ["br", "gzip"]

/**
 * Brotli at quality 5: about 1.9 MB for the 9 MB page in half a second, where
 * quality 11 saves another 0.2 MB for 16 s of a core. Off the event loop
 * (zlib's thread pool), once per page.
 */
const COMPRESS: Record<Encoding, (page: Buffer) => Promise<Buffer>> = {
  br: (page) =>
    brotli(page, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 5,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: page.length,
      },
    }),
  gzip: (page) => gzipped(page),
}

/** Rendered pages kept (one per set of options: the prefilled key may change). */
const MAX_PAGES = 4

type Page = { etag: string; identity: Buffer; encoded: Map<Encoding, Promise<Buffer>> }

export type PlaygroundOptions = Record<string, unknown>

/**
 * Serves the GraphiQL page (about 9 MB, everything inlined so that it works
 * offline) the way static files are served: compressed (brotli or gzip, as
 * the browser's Accept-Encoding says), with an ETag and Cache-Control, 304
 * when the browser already holds it (If-None-Match), and HEAD answered with
 * the headers alone. Each distinct page is rendered, hashed and compressed
 * once; later loads send stored bytes.
 *
 * The page is what a GET of the endpoint with `Accept: text/html` gets; any
 * other GET goes on to the GraphQL server. `options` gives the page's options
 * for a request, or false when the playground is off: a GET then goes on too,
 * and a HEAD answers 200 with no page.
 */
export function playgroundPage(settings: {
  endpoint: string
  render: (options: PlaygroundOptions) => string
  options: (request: Request, serverContext: unknown) => Promise<PlaygroundOptions | false>
  cacheControl: string
}): Plugin {
  const pages = new Map<string, Page>()

  function pageFor(options: PlaygroundOptions): Page {
    const key = JSON.stringify(options)
    let page = pages.get(key)
    if (page) {
      // Most recently used last, so that the oldest goes first.
      pages.delete(key)
    } else {
      const identity = Buffer.from(settings.render(options))
      const etag = `"${createHash("sha256").update(identity).digest("base64url").slice(0, 32)}"`
      page = { etag, identity, encoded: new Map() }
      if (pages.size >= MAX_PAGES) pages.delete(pages.keys().next().value!)
    }
    pages.set(key, page)
    return page
  }

  function encoded(page: Page, encoding: Encoding): Promise<Buffer> {
    let body = page.encoded.get(encoding)
    if (!body) {
      body = COMPRESS[encoding](page.identity)
      page.encoded.set(encoding, body)
      // A failure is not kept: the next request tries again.
      body.catch(() => page.encoded.delete(encoding))
    }
    return body
  }

  return {
    async onRequest({ request, url, serverContext, endResponse, fetchAPI }) {
      if (url.pathname !== settings.endpoint && url.pathname !== `${settings.endpoint}/`) return
      const head = request.method === "HEAD"
      if (!head && !(request.method === "GET" && request.headers.get("accept")?.includes("text/html"))) return
      const options = await settings.options(request, serverContext)
      if (!options) {
        if (head) endResponse(new fetchAPI.Response(null, { status: 200 }))
        return
      }
      const page = pageFor(options)
      const headers: Record<string, string> = {
        "Content-Type": "text/html; charset=utf-8",
        ETag: page.etag,
        "Cache-Control": settings.cacheControl,
        // The same URL answers JSON to API requests, and other bytes to other encodings.
        Vary: "Accept, Accept-Encoding",
      }
      const requestHeaders = Object.fromEntries(request.headers)
      if (fresh(requestHeaders, { etag: page.etag })) {
        endResponse(new fetchAPI.Response(null, { status: 304, headers }))
        return
      }
      // (negotiator's types predate its `preferred` argument)
      const negotiator = new Negotiator({ headers: requestHeaders }) as unknown as {
        encoding: (available: string[], preferred: string[]) => Encoding | "identity" | undefined
      }
      const encoding = negotiator.encoding([...ENCODINGS, "identity"], ENCODINGS)
      const body = encoding && encoding !== "identity" ? await encoded(page, encoding) : page.identity
      if (encoding && encoding !== "identity") headers["Content-Encoding"] = encoding
      headers["Content-Length"] = String(body.length)
      endResponse(new fetchAPI.Response(head ? null : (body as Uint8Array<ArrayBuffer>), { status: 200, headers }))
    },
  }
}
