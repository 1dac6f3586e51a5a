import { createServer, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import type { Browser, BrowserContext } from "playwright-core"
import manifest from "../../src/graphql/__generated__/client/persisted-documents.json"
import { CSRF_HEADERS } from "../../src/graphql/plugins/csrf-prevention"
import { createAdmin, createSecretApiKey } from "../helpers/admin"
import { hasChromium, launchChromium } from "../helpers/browser"
import { countOf } from "../helpers/db"

jest.setTimeout(180 * 1000)

const describeWithBrowser = hasChromium() || process.env.CI ? describe : describe.skip
if (!hasChromium() && !process.env.CI) {
  console.warn("Chromium not found (apt-get install chromium): skipping the CSRF browser test.")
}

const mutation = (name: string) => `mutation { brandCreate(input: { name: "${name}" }) { brand { id } } }`

/** The persisted CreateBrand document's bare hash, as Apollo's persistedQuery extension names it. */
const CREATE_BRAND_HASH = Object.entries(manifest as Record<string, string>)
  .find(([, text]) => text.includes("mutation CreateBrand"))![0]
  .replace(/^sha256:/, "")

const escapeAttr = (value: string) =>
  value.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;")

/** An auto-submittable form posting `fields` to `action` with the given enctype. */
function formPage(action: string, enctype: string, fields: Record<string, string>) {
  const inputs = Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${escapeAttr(name)}" value="${escapeAttr(value)}">`)
    .join("")
  return `<!doctype html><form id="f" method="POST" action="${escapeAttr(action)}" enctype="${enctype}">${inputs}</form>`
}

/**
 * What a hostile page can send with nothing but HTML forms: each one a
 * brandCreate that would run with the admin's session cookie.
 */
function forgedForms(graphqlUrl: string): Record<string, string> {
  // text/plain sends `name=value`: a name ending in an open string and a value
  // closing it make the whole body JSON.
  const textBody = JSON.stringify({ query: mutation("Forged text"), padding: "" })
  return {
    urlencoded: formPage(graphqlUrl, "application/x-www-form-urlencoded", { query: mutation("Forged urlencoded") }),
    multipart: formPage(graphqlUrl, "multipart/form-data", {
      operations: JSON.stringify({ query: mutation("Forged multipart") }),
      map: "{}",
    }),
    "text-plain": formPage(graphqlUrl, "text/plain", { [textBody.slice(0, -2)]: '"}' }),
    persisted: formPage(graphqlUrl, "application/x-www-form-urlencoded", {
      extensions: JSON.stringify({ persistedQuery: { version: 1, sha256Hash: CREATE_BRAND_HASH } }),
      variables: JSON.stringify({ input: { name: "Forged persisted" } }),
    }),
  }
}

medusaIntegrationTestRunner({
  inApp: true,
  env: {},
  testSuite: ({ api, getContainer, dbConnection }) => {
    const forgedBrands = () => countOf(dbConnection, `select count(*)::int as n from brand where name like 'Forged%'`)

    describe("requests a browser could send without a preflight", () => {
      const post = (body: string, headers: Record<string, string>) =>
        api.post("/graphql", body, { headers, validateStatus: () => true, transformRequest: (b) => b })

      it("refuses form and text content types, and none, with 415 whatever headers come along", async () => {
        const admin = await createAdmin(getContainer(), api)
        const urlencoded = `query=${encodeURIComponent(mutation("Forged http"))}`
        for (const [contentType, body] of [
          ["application/x-www-form-urlencoded", urlencoded],
          ["multipart/form-data; boundary=x", `--x\r\nContent-Disposition: form-data; name="operations"\r\n\r\n${JSON.stringify({ query: mutation("Forged http") })}\r\n--x--\r\n`],
          ["text/plain;charset=UTF-8", JSON.stringify({ query: mutation("Forged http") })],
          ["TEXT/PLAIN", JSON.stringify({ query: mutation("Forged http") })],
          ["", JSON.stringify({ query: mutation("Forged http") })],
        ]) {
          const res = await post(body, { "content-type": contentType, "x-graphql-csrf": "1", ...admin.headers })
          expect([contentType, res.status]).toEqual([contentType, 415])
          expect(res.data.errors[0].extensions.code).toBe("UNSUPPORTED_CONTENT_TYPE")
          expect(res.data.errors[0].message).toContain("application/json")
        }
        expect(await forgedBrands()).toBe(0)
      })

      it("answers a GET only with a header a cross-site page cannot set", async () => {
        // Reads no catalog data, so that no publishable key is needed: only the CSRF rule decides.
        const params = { query: "{ __typename }" }
        const bare = await api.get("/graphql", { params, validateStatus: () => true })
        expect(bare.status).toBe(403)
        expect(bare.data.errors[0].extensions.code).toBe("CSRF_HEADER_REQUIRED")
        expect(bare.data.errors[0].message).toContain("x-graphql-csrf: 1")
        expect(bare.data.data).toBeUndefined()

        // A form's content type on a GET does not count either.
        const formType = await api.get("/graphql", {
          params,
          headers: { "content-type": "text/plain" },
          validateStatus: () => true,
        })
        expect(formType.status).toBe(403)

        const admin = await createAdmin(getContainer(), api, "reader@test.local")
        const values: Record<string, string> = { authorization: admin.headers.authorization }
        for (const name of [...CSRF_HEADERS, "content-type"]) {
          const value = values[name] ?? (name === "content-type" ? "application/json" : "1")
          const res = await api.get("/graphql", { params, headers: { [name]: value }, validateStatus: () => true })
          expect([name, res.status]).toEqual([name, 200])
          expect(res.data.data).toEqual({ __typename: "Query" })
        }
      })

      it("keeps the playground page, CORS preflights and JSON POSTs working", async () => {
        const page = await api.get("/graphql", { headers: { accept: "text/html" }, validateStatus: () => true })
        expect(page.status).toBe(200)
        expect(page.headers["content-type"]).toMatch(/^text\/html/)

        const preflight = await api.request({
          method: "OPTIONS",
          url: "/graphql",
          headers: {
            origin: "http://localhost:8000",
            "access-control-request-method": "POST",
            "access-control-request-headers": "content-type",
          },
          validateStatus: () => true,
        })
        expect(preflight.status).toBe(204)
        expect(preflight.headers["access-control-allow-origin"]).toBe("http://localhost:8000")

        const json = await post(JSON.stringify({ query: "{ __typename }" }), { "content-type": "application/json" })
        expect(json.status).toBe(200)
        expect(json.data.data).toEqual({ __typename: "Query" })
      })
    })

    describe("admin credentials by origin", () => {
      const STOREFRONT = "http://localhost:8000"
      const ADMIN_APP = "http://localhost:5173"

      const send = (query: string, headers: Record<string, string>) =>
        api.post("/graphql", { query }, { headers, validateStatus: () => true })

      it("counts an admin's session cookie, token or secret key only from an admin origin or from no browser page", async () => {
        // Medusa's defaults: STORE_CORS is the storefront's origin, ADMIN_CORS the admin's.
        expect(process.env.STORE_CORS ?? STOREFRONT).toBe(STOREFRONT)
        expect(process.env.ADMIN_CORS).toBeUndefined()
        const admin = await createAdmin(getContainer(), api, "origins@test.local")
        const secretKey = await createSecretApiKey(getContainer(), admin.userId)
        // A session as Medusa's admin makes one: the token exchanged for a cookie.
        const session = await api.post("/auth/session", {}, { headers: admin.headers })
        const cookie = (session.headers["set-cookie"] ?? []).map((c: string) => c.split(";")[0]).find((c: string) => c.startsWith("connect.sid="))
        expect(cookie).toBeDefined()

        // The storefront's page with the cookie its browser sends along: a storefront caller, not the admin.
        const withCookie = await send(mutation("Forged storefront cookie"), { origin: STOREFRONT, cookie: cookie! })
        expect({ code: withCookie.data.errors?.[0]?.extensions?.code, data: withCookie.data.data }).toEqual({
          code: "UNAUTHENTICATED",
          data: null,
        })
        const read = await send("{ __typename }", { origin: STOREFRONT, cookie: cookie! })
        expect({ status: read.status, data: read.data.data }).toEqual({ status: 200, data: { __typename: "Query" } })
        // Credentials a page chose to send from there are refused, typed.
        for (const [name, authorization] of [
          ["token", admin.headers.authorization],
          ["secret key", secretKey.authorization],
        ]) {
          const res = await send(mutation(`Forged storefront ${name}`), { origin: STOREFRONT, authorization })
          expect([name, res.status, res.data.errors?.[0]?.extensions?.code]).toEqual([name, 403, "FORBIDDEN"])
        }
        // Any other page, and a sandboxed one (Origin: null), is no admin's either.
        const elsewhere = await send(mutation("Forged elsewhere"), { origin: "https://shop.example", cookie: cookie! })
        expect(elsewhere.data.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED")
        const sandboxed = await send(mutation("Forged sandboxed"), { origin: "null", cookie: cookie! })
        expect(sandboxed.data.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED")
        expect(await forgedBrands()).toBe(0)

        // The admin's own origin, the server's own pages and no browser at all keep every credential.
        const base = new URL(api.defaults.baseURL as string)
        const allowed = [
          ["admin origin, cookie", { origin: ADMIN_APP, cookie: cookie! }],
          ["admin origin, token", { origin: ADMIN_APP, ...admin.headers }],
          ["own origin, cookie", { origin: base.origin, cookie: cookie! }],
          ["no origin, token", admin.headers],
          ["no origin, secret key", secretKey],
          ["no origin, cookie", { cookie: cookie! }],
        ] as const
        for (const [name, headers] of allowed) {
          const res = await send(mutation(`Admin ${name}`), headers)
          expect([name, res.status, res.data.data?.brandCreate?.brand?.id?.slice(0, 6)]).toEqual([name, 200, "brand_"])
        }
      })
    })

    describeWithBrowser("a hostile page in a browser logged in as an admin", () => {
      let browser: Browser
      let context: BrowserContext
      let hostile: Server
      let hostileOrigin: string
      let base: string
      const pages: Record<string, string> = {}

      beforeAll(async () => {
        base = api.defaults.baseURL as string
        Object.assign(pages, forgedForms(`${base}/graphql`))
        hostile = createServer((req, res) => {
          const html = pages[(req.url ?? "/").slice(1)] ?? "<!doctype html><title>hostile</title>"
          res.writeHead(200, { "content-type": "text/html" }).end(html)
        })
        await new Promise<void>((done) => hostile.listen(0, "127.0.0.1", done))
        // Another port of localhost: same site as the app, so even Lax cookies go along.
        hostileOrigin = `http://localhost:${(hostile.address() as AddressInfo).port}`
        browser = await launchChromium()
      })

      afterAll(async () => {
        await browser?.close()
        await new Promise((done) => hostile?.close(done))
      })

      beforeEach(async () => {
        // Log in as Medusa's own admin would: a token, then a session cookie on the app's origin.
        const admin = await createAdmin(getContainer(), api)
        context = await browser.newContext()
        const app = await context.newPage()
        await app.goto(`${base}/health`)
        const status = await app.evaluate(async (token) => {
          const res = await fetch("/auth/session", { method: "POST", headers: { authorization: `Bearer ${token}` } })
          return res.status
        }, admin.token)
        expect(status).toBe(200)
        const cookies = await context.cookies(base)
        expect(cookies.map((c) => c.name)).toContain("connect.sid")
        await app.close()
      })

      afterEach(async () => {
        await context?.close()
      })

      /** Opens the hostile page holding one form in a tab of its own, submits it, and returns the app's answer. */
      async function submitForm(name: string) {
        const page = await context.newPage()
        await page.goto(`${hostileOrigin}/${name}`)
        const answer = page.waitForResponse((r) => r.url() === `${base}/graphql` && r.request().method() === "POST")
        await page.evaluate(() => (document.getElementById("f") as HTMLFormElement).submit())
        const response = await answer
        return {
          status: response.status(),
          cookie: await response.request().headerValue("cookie"),
          body: await response.text().catch(() => ""),
        }
      }

      it("runs none of the forged form posts", async () => {
        const answers: Record<string, string> = {}
        for (const name of Object.keys(pages)) {
          const answer = await submitForm(name)
          answers[name] = `${answer.status} ${/"code":"(\w+)"/.exec(answer.body)?.[1] ?? "-"}`
          // The cookie went along: the refusal, not a missing session, is what stops it.
          expect(answer.cookie).toContain("connect.sid")
        }
        // One diff shows which forms got through and what they wrote.
        const refused = "415 UNSUPPORTED_CONTENT_TYPE"
        expect({ answers, forgedBrands: await forgedBrands() }).toEqual({
          answers: { urlencoded: refused, multipart: refused, "text-plain": refused, persisted: refused },
          forgedBrands: 0,
        })
      })

      it("lets the hostile page neither send JSON with the cookie nor read an answer", async () => {
        const page = await context.newPage()
        await page.goto(`${hostileOrigin}/`)
        const outcome = await page.evaluate(
          async ({ url, query }) => {
            try {
              const res = await fetch(url, {
                method: "POST",
                credentials: "include",
                headers: { "content-type": "application/json" },
                body: JSON.stringify({ query }),
              })
              return `answered ${res.status}`
            } catch (e) {
              return `blocked: ${(e as Error).name}`
            }
          },
          { url: `${base}/graphql`, query: mutation("Forged fetch") }
        )
        expect(outcome).toBe("blocked: TypeError")
        expect(await forgedBrands()).toBe(0)
      })

      it("runs the same mutation sent as JSON from the app's own origin with the cookie", async () => {
        const page = await context.newPage()
        await page.goto(`${base}/health`)
        const result = await page.evaluate(async (query) => {
          const res = await fetch("/graphql", {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ query }),
          })
          return { status: res.status, body: await res.json() }
        }, mutation("Forged same-origin"))
        expect(result.status).toBe(200)
        expect(result.body.data.brandCreate.brand.id).toMatch(/^brand_/)
        expect(await forgedBrands()).toBe(1)
      })
    })
  },
})
