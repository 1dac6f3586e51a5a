import http from "node:http"
import net from "node:net"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import manifest from "../../src/graphql/__generated__/client/persisted-documents.json"
import { BrandDirectoryDocument } from "../../src/graphql/__generated__/client/graphql"
import { seedDemoData } from "../../src/scripts/demo-data"
import { createAdmin } from "../helpers/admin"
import { craftCursor, errorCode, gql, type Headers } from "../helpers/graphql"
import { useStorefrontKey } from "../helpers/storefront"

jest.setTimeout(180 * 1000)

const MAX_BODY = 102400
const MAX_STRING = 10000
const MAX_FILTER = 500
/** How long the server reads and drops an oversized body at most (short here, so that the test waits little). */
const DISCARD_TIMEOUT_MS = 1000

const CONTAINS = `query ($text: String!) { products(first: 5, filter: { title: { contains: $text } }) { totalCount nodes { id } } }`

/** JSON text of an object nested `levels` deep, for what no JSON library here can serialize. */
const nestedJson = (levels: number) => `${'{"a":'.repeat(levels - 1)}{}${"}".repeat(levels - 1)}`

/** An object nested `levels` deep: {a:{a:…{}}}. */
function nested(levels: number): Record<string, unknown> {
  const root: Record<string, unknown> = {}
  let node = root
  for (let i = 1; i < levels; i++) node = (node.a = {}) as Record<string, unknown>
  return root
}

/** The storefront key every request of this file sends (set once the app is up). */
let storefrontKey = ""

/**
 * POSTs a raw body to /graphql over plain HTTP (no client-side limits), with
 * Content-Length or, with `chunked`, in chunks without one.
 */
function postRaw(
  base: string,
  body: string,
  { chunked = false, path = "/graphql", headers: extra = {} }: { chunked?: boolean; path?: string; headers?: Headers } = {}
): Promise<{ status: number; json: any; ms: number }> {
  const started = performance.now()
  return new Promise((resolve, reject) => {
    const url = new URL(path, base)
    const headers: Record<string, string | number> = {
      "content-type": "application/json",
      "x-publishable-api-key": storefrontKey,
      ...extra,
    }
    if (!chunked) headers["content-length"] = Buffer.byteLength(body)
    const req = http.request(url, { method: "POST", headers }, (res) => {
      let text = ""
      res.setEncoding("utf8")
      res.on("data", (c) => (text += c))
      res.on("end", () => resolve({ status: res.statusCode!, json: JSON.parse(text), ms: performance.now() - started }))
    })
    req.on("error", reject)
    if (chunked) {
      for (let i = 0; i < body.length; i += 65536) req.write(body.slice(i, i + 65536))
      req.end()
    } else req.end(body)
  })
}

medusaIntegrationTestRunner({
  inApp: true,
  env: { GRAPHQL_DISCARD_BODY_TIMEOUT_MS: String(DISCARD_TIMEOUT_MS) },
  testSuite: ({ api, getContainer, dbConnection }) => {
    let admin: Headers
    let base: string

    beforeAll(async () => {
      await seedDemoData(getContainer())
      storefrontKey = await useStorefrontKey(api, getContainer())
      base = api.defaults.baseURL as string
    })

    beforeEach(async () => {
      admin = (await createAdmin(getContainer(), api)).headers
    })

    const brandCount = async () => Number((await dbConnection.raw(`select count(*)::int as n from brand`)).rows[0].n)

    describe("request body size", () => {
      it("answers 413 to the 1 MB, 5 MB and 20 MB `contains` probes before parsing them", async () => {
        for (const mb of [1, 5, 20]) {
          const body = JSON.stringify({ query: CONTAINS, variables: { text: "k".repeat(mb * 1024 * 1024) } })
          const res = await postRaw(base, body)
          expect(res.status).toBe(413)
          expect(res.json.errors[0].extensions).toEqual({ code: "PAYLOAD_TOO_LARGE", maxBytes: MAX_BODY })
          console.log(`contains probe of ${mb} MB: ${res.status} in ${res.ms.toFixed(1)} ms`)
        }
      })

      it("lets Node's fetch send a 5 MB body to the end and read its 413 (as browsers do)", async () => {
        // fetch writes the whole body before it reads: a connection closed
        // while it is still sending fails with EPIPE, and the status is lost.
        // Sent at once (with Content-Length) and as a stream that takes a
        // while (chunked), which the server used to cut short every time.
        const text = JSON.stringify({ query: CONTAINS, variables: { text: "k".repeat(5 * 1024 * 1024) } })
        const chunk = new TextEncoder().encode("k".repeat(64 * 1024))
        const slowly = () => {
          let sent = 0
          return new ReadableStream({
            async pull(controller) {
              if (sent++ >= 80) return controller.close()
              await new Promise((r) => setTimeout(r, 1))
              controller.enqueue(chunk)
            },
          })
        }
        for (const body of [text, text, slowly, slowly, slowly]) {
          const res = await fetch(new URL("/graphql", base), {
            method: "POST",
            headers: { "content-type": "application/json", "x-publishable-api-key": storefrontKey },
            ...(typeof body === "string" ? { body } : { body: body(), duplex: "half" }),
          } as RequestInit)
          expect(res.status).toBe(413)
          expect(res.headers.get("connection")).toBe("close")
          expect((await res.json()).errors[0].extensions).toEqual({ code: "PAYLOAD_TOO_LARGE", maxBytes: MAX_BODY })
        }
      })

      it("drops an oversized body for a bounded time and size only, then answers 413 and closes", async () => {
        /** Declares `declared` bytes, sends 1 MB of them and waits: when does the 413 come, and is the connection closed? */
        const stalled = (declared: number) =>
          new Promise<{ ms: number; statusLine: string }>((resolve, reject) => {
            const url = new URL(base)
            const socket = net.connect(Number(url.port), url.hostname, () => {
              socket.write(
                `POST /graphql HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/json\r\n` +
                  `x-publishable-api-key: ${storefrontKey}\r\nContent-Length: ${declared}\r\n\r\n`
              )
              socket.write("k".repeat(1024 * 1024))
            })
            const started = performance.now()
            let answer = ""
            socket.on("data", (d) => (answer += d))
            socket.on("error", reject)
            socket.on("close", () => resolve({ ms: performance.now() - started, statusLine: answer.split("\r\n")[0] }))
          })
        // The rest of the body never comes: the 413 goes out once the time is up.
        const slow = await stalled(5 * 1024 * 1024)
        expect(slow.statusLine).toBe("HTTP/1.1 413 Payload Too Large")
        expect(slow.ms).toBeGreaterThanOrEqual(DISCARD_TIMEOUT_MS - 50)
        expect(slow.ms).toBeLessThan(DISCARD_TIMEOUT_MS + 2000)
        // A body that says it is larger than what is ever dropped (64 MB) is answered at once.
        const huge = await stalled(100 * 1024 * 1024)
        expect(huge.statusLine).toBe("HTTP/1.1 413 Payload Too Large")
        expect(huge.ms).toBeLessThan(DISCARD_TIMEOUT_MS / 2)
      })

      it("takes a body of exactly the limit and refuses one byte more, with or without Content-Length", async () => {
        // Padded with blanks inside the query, which the parser skips.
        const padded = (size: number) => {
          const body = JSON.stringify({ query: `{ brands(first: 1) { totalCount } }` })
          return body.replace(` }"}`, ` }${" ".repeat(size - body.length)}"}`)
        }
        expect(Buffer.byteLength(padded(MAX_BODY))).toBe(MAX_BODY)
        const atLimit = await postRaw(base, padded(MAX_BODY))
        expect(atLimit.status).toBe(200)
        expect(atLimit.json.data.brands.totalCount).toBe(10)
        expect((await postRaw(base, padded(MAX_BODY + 1))).status).toBe(413)
        expect((await postRaw(base, padded(MAX_BODY), { chunked: true })).status).toBe(200)
        const chunked = await postRaw(base, padded(MAX_BODY + 1), { chunked: true })
        expect(chunked.status).toBe(413)
        expect(chunked.json.errors[0].extensions.code).toBe("PAYLOAD_TOO_LARGE")
      })
    })

    describe("string length", () => {
      it("limits filter values, in variables and in the document, naming the argument", async () => {
        const ok = await gql(api, CONTAINS, { text: "k".repeat(MAX_FILTER) })
        expect(ok.errors).toBeUndefined()
        expect(ok.data.products.totalCount).toBe(0)

        const long = await gql(api, CONTAINS, { text: "k".repeat(MAX_FILTER + 1) })
        expect(long.status).toBe(400)
        expect(long.data).toBeUndefined()
        expect(long.errors![0].extensions).toMatchObject({ code: "BAD_USER_INPUT", argument: "$text" })
        expect(long.errors![0].message).toMatch(/at most 500/)

        const literal = await gql(
          api,
          `{ brands(filter: { handle: { in: ["a", "${"h".repeat(MAX_FILTER + 1)}"] } }) { totalCount } }`
        )
        expect(literal.errors![0].extensions).toMatchObject({ code: "BAD_USER_INPUT", argument: "filter.handle.in" })

        const asObject = await gql(api, `query ($f: ProductFilter) { products(filter: $f) { totalCount } }`, {
          f: { handle: { eq: "h".repeat(MAX_FILTER + 1) } },
        })
        expect(asObject.errors![0].extensions).toMatchObject({ code: "BAD_USER_INPUT", argument: "$f.handle.eq" })
      })

      it("limits every other string argument, and writes nothing", async () => {
        const before = await brandCount()
        const create = `mutation ($input: BrandCreateInput!) { brandCreate(input: $input) { brand { id } userErrors { code } } }`
        const long = await gql(api, create, { input: { name: "Long", description: "d".repeat(MAX_STRING + 1) } }, admin)
        expect(long.errors![0].extensions).toMatchObject({ code: "BAD_USER_INPUT", argument: "$input.description" })
        const inJson = await gql(api, create, { input: { name: "Long", metadata: { note: "d".repeat(MAX_STRING + 1) } } }, admin)
        expect(inJson.errors![0].extensions).toMatchObject({ code: "BAD_USER_INPUT", argument: "$input.metadata" })
        const cursor = await gql(api, `query ($c: String) { brands(after: $c) { totalCount } }`, { c: "c".repeat(MAX_STRING + 1) })
        expect(cursor.errors![0].extensions).toMatchObject({ code: "BAD_USER_INPUT", argument: "$c" })
        expect(await brandCount()).toBe(before)

        const atLimit = await gql(api, create, { input: { name: "Long", description: "d".repeat(MAX_STRING) } }, admin)
        expect(atLimit.errors).toBeUndefined()
        expect(atLimit.data.brandCreate.userErrors).toEqual([])
      })
    })

    describe("JSON input", () => {
      const create = `mutation ($input: BrandCreateInput!) {
        brandCreate(input: $input) { brand { id metadata } userErrors { field code message } } }`

      it("refuses metadata 10,000 levels deep as bad input, with no stack overflow", async () => {
        const before = await brandCount()
        const body = `{"query":${JSON.stringify(create)},"variables":{"input":{"name":"Deep","metadata":${nestedJson(10000)}}}}`
        const res = await postRaw(base, body, { headers: admin })
        expect(res.status).toBe(400)
        expect(res.json.errors[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", argument: "$input.metadata" })
        expect(res.json.errors[0].message).toMatch(/deeper than 32 levels/)

        const rest = await postRaw(base, `{"name":"Deep","metadata":${nestedJson(10000)}}`, { path: "/admin/brands", headers: admin })
        expect(rest.status).toBe(400)
        expect(rest.json.type).toBe("invalid_data")
        expect(JSON.stringify(rest.json)).not.toMatch(/stack/i)
        expect(await brandCount()).toBe(before)
      })

      it("answers metadata over the brand's depth or size limit with a user error", async () => {
        const before = await brandCount()
        const deep = await gql(api, create, { input: { name: "Deep", metadata: nested(9) } }, admin)
        expect(deep.errors).toBeUndefined()
        expect(deep.data.brandCreate.brand).toBeNull()
        expect(deep.data.brandCreate.userErrors).toEqual([
          { field: ["input", "metadata"], code: "INVALID", message: "Brand metadata nests deeper than 8 levels." },
        ])
        const large = await gql(api, create, { input: { name: "Large", metadata: { a: "x".repeat(9000), b: "y".repeat(9000) } } }, admin)
        expect(large.data.brandCreate.userErrors[0]).toMatchObject({ field: ["input", "metadata"], code: "INVALID" })
        expect(large.data.brandCreate.userErrors[0].message).toMatch(/at most 16384/)
        const rest = await api.post("/admin/brands", { name: "Deep", metadata: nested(9) }, { headers: admin, validateStatus: () => true })
        expect(rest.status).toBe(400)
        expect(rest.data.message).toMatch(/Brand metadata nests deeper than 8 levels\./)
        expect(await brandCount()).toBe(before)

        const fits = await gql(api, create, { input: { name: "Fits", metadata: nested(8) } }, admin)
        expect(fits.data.brandCreate.userErrors).toEqual([])
        expect(fits.data.brandCreate.brand.metadata).toEqual(nested(8))
      })
    })

    describe("cursors", () => {
      const page = `query ($after: String) {
        products(first: 2, after: $after, orderBy: { field: CREATED_AT }) { nodes { id } } }`

      it("refuses dates a cursor could never hold, and pages from the last one that can", async () => {
        for (const value of [
          "0000-01-01T00:00:00.000Z", // PostgreSQL has no year 0
          "9999-12-31T23:59:59.999Z", // the millisecond after it is year 10000
          "2026-02-30T00:00:00.000Z", // no such day
          "+010000-01-01T00:00:00.000Z",
        ]) {
          const res = await gql(api, page, { after: craftCursor(["v1", "Product", "CREATED_AT", value, "prod_x"]) })
          expect({ value, code: errorCode(res) }).toEqual({ value, code: "BAD_USER_INPUT" })
        }
        for (const value of ["0001-01-01T00:00:00.000Z", "9999-12-31T23:59:59.998Z"]) {
          const res = await gql(api, page, { after: craftCursor(["v1", "Product", "CREATED_AT", value, "prod_x"]) })
          expect(res.errors).toBeUndefined()
        }
      })
    })

    describe("smaller points", () => {
      it("counts __typename aliases against the alias limit", async () => {
        const aliases = Array.from({ length: 16 }, (_, i) => `t${i}: __typename`).join(" ")
        const res = await gql(api, `{ ${aliases} }`)
        expect(res.errors?.[0]?.message).toMatch(/aliases/i)
        expect(res.data).toBeUndefined()
        const fifteen = await gql(api, `{ ${aliases.split(" ").slice(0, 30).join(" ")} }`)
        expect(fifteen.errors).toBeUndefined()
      })

      it("serves a persisted document by documentId over GET", async () => {
        const hash = (BrandDirectoryDocument as any).__meta__.hash
        expect(Object.keys(manifest)).toContain(hash)
        const res = await api.get("/graphql", {
          params: { documentId: hash, variables: JSON.stringify({ first: 2 }) },
          headers: { "x-graphql-csrf": "1" },
          validateStatus: () => true,
        })
        expect(res.status).toBe(200)
        expect(res.data.data.brands.nodes).toHaveLength(2)
      })
    })
  },
})
