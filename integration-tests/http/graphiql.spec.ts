import { mkdirSync } from "node:fs"
import { request as httpRequest, type IncomingHttpHeaders } from "node:http"
import { resolve } from "node:path"
import { brotliDecompressSync, gunzipSync } from "node:zlib"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import type { Browser, Page } from "playwright-core"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { seedDemoData, DEMO_BRANDS, DEMO_CHANNELS } from "../../src/scripts/demo-data"
import { createAdmin } from "../helpers/admin"
import { hasChromium, launchChromium } from "../helpers/browser"
import { reindexSearch } from "../helpers/search"
import { PUBLISHABLE_KEY_HEADER, useStorefrontKey } from "../helpers/storefront"

jest.setTimeout(180 * 1000)

const artifacts = resolve(__dirname, "../../test-artifacts")

// CI installs Chromium (.ci/run); elsewhere the browser test needs it too,
// but a machine without it skips with a note instead of failing.
const describeWithBrowser = hasChromium() || process.env.CI ? describe : describe.skip
if (!hasChromium() && !process.env.CI) {
  console.warn("Chromium not found (apt-get install chromium): skipping the GraphiQL browser test.")
}

/** Replaces the text of a GraphiQL (Monaco) editor. */
async function setEditorText(page: Page, editor: string, text: string) {
  await page.click(`${editor} .graphiql-editor:not(.hidden) .view-lines`)
  await page.keyboard.press("Control+A")
  await page.keyboard.press("Delete")
  await page.keyboard.insertText(text)
}

/**
 * Switches to the tab of `operationName` and waits until GraphiQL has made
 * it the active one in its state: the operation to run is taken from there,
 * and a click made while the editor is still settling can be lost.
 */
async function openTab(page: Page, operationName: string) {
  const active = () =>
    page.evaluate((name) => {
      const state = JSON.parse(localStorage.getItem("graphiql:tabState") ?? "null")
      return state?.tabs?.[state.activeTabIndex]?.operationName === name
    }, operationName)
  for (let attempt = 0; attempt < 20 && !(await active()); attempt++) {
    // A tab's text is its title, then its close button's icon.
    await page.getByRole("tab").filter({ hasText: new RegExp(`^${operationName}`) }).click()
    await page.waitForTimeout(500)
  }
  expect(await active()).toBe(true)
}

async function runAndReadResult(page: Page, expected: string) {
  await page.click(".graphiql-execute-button")
  const result = page.locator(".result-window")
  await result.getByText(expected, { exact: false }).first().waitFor({ timeout: 30_000 })
  return result.innerText()
}

/** A request whose answer is read as the bytes on the wire (no decompression). */
function rawRequest(url: string, method: string, headers: Record<string, string>) {
  return new Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }>((ok, fail) => {
    const req = httpRequest(url, { method, headers }, (res) => {
      const chunks: Buffer[] = []
      res.on("data", (c: Buffer) => chunks.push(c))
      res.on("end", () => ok({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }))
    })
    req.on("error", fail)
    req.end()
  })
}

medusaIntegrationTestRunner({
  inApp: true,
  testSuite: ({ api, getContainer, dbConnection }) => {
    let browser: Browser
    let page: Page
    let base: string
    const outside: string[] = []

    beforeAll(async () => {
      await seedDemoData(getContainer())
      await reindexSearch(getContainer())
      await useStorefrontKey(api, getContainer())
    })

    it("sends the page compressed as the client accepts, with an ETag and Cache-Control, 304 when unchanged, and answers HEAD", async () => {
      const url = `${api.defaults.baseURL}/graphql`
      const page = (headers: Record<string, string>, method = "GET") => rawRequest(url, method, { accept: "text/html", ...headers })
      const plain = await page({ "accept-encoding": "identity" })
      expect(plain.status).toBe(200)
      expect(plain.headers["content-encoding"]).toBeUndefined()
      expect(plain.headers["content-type"]).toBe("text/html; charset=utf-8")
      expect(plain.body.toString()).toContain("<title>Brands & products GraphQL</title>")
      const etag = plain.headers.etag!
      expect(etag).toMatch(/^"[\w-]{20,}"$/)
      expect(plain.headers["cache-control"]).toBe("no-cache")
      expect(plain.headers.vary).toMatch(/Accept-Encoding/)
      expect(plain.headers.vary).toMatch(/\bAccept\b/)

      // What browsers send: brotli, about a fifth of the bytes; gzip for those without it.
      const br = await page({ "accept-encoding": "gzip, deflate, br, zstd" })
      expect(br.headers["content-encoding"]).toBe("br")
      expect(Number(br.headers["content-length"])).toBe(br.body.length)
      expect(br.body.length).toBeLessThan(plain.body.length / 3)
      expect(brotliDecompressSync(br.body).equals(plain.body)).toBe(true)
      const gzip = await page({ "accept-encoding": "gzip" })
      expect(gzip.headers["content-encoding"]).toBe("gzip")
      expect(gunzipSync(gzip.body).equals(plain.body)).toBe(true)
      // One page, one tag, whatever the encoding.
      expect([br.headers.etag, gzip.headers.etag]).toEqual([etag, etag])

      // A browser that holds the page revalidates it for a few bytes.
      const unchanged = await page({ "accept-encoding": "br", "if-none-match": etag })
      expect(unchanged.status).toBe(304)
      expect(unchanged.body.length).toBe(0)
      expect(unchanged.headers.etag).toBe(etag)
      expect((await page({ "accept-encoding": "br", "if-none-match": '"stale"' })).status).toBe(200)

      // HEAD: the page's headers, no body (with any Accept, as link checkers send).
      const heads: Record<string, string>[] = [{ "accept-encoding": "identity" }, { accept: "*/*", "accept-encoding": "identity" }]
      for (const headers of heads) {
        const head = await page(headers, "HEAD")
        expect(head.status).toBe(200)
        expect(head.body.length).toBe(0)
        expect(head.headers["content-type"]).toBe("text/html; charset=utf-8")
        expect(head.headers.etag).toBe(etag)
        expect(Number(head.headers["content-length"])).toBe(plain.body.length)
      }
      expect((await page({ "accept-encoding": "br" }, "HEAD")).headers["content-encoding"]).toBe("br")

      // API requests to the same URL are not the page.
      const api_ = await rawRequest(`${url}?query=${encodeURIComponent("{ __typename }")}`, "GET", {
        accept: "application/json",
        "x-graphql-csrf": "1",
      })
      expect(JSON.parse(api_.body.toString()).data).toEqual({ __typename: "Query" })
    })

    describeWithBrowser("GraphiQL playground in a real browser", () => {
      beforeEach(async () => {
        browser = await launchChromium()
        page = await browser.newPage({ viewport: { width: 1400, height: 900 } })
        // The playground must work with no internet: anything not from the app fails.
        base = api.defaults.baseURL as string
        await page.route((url) => !url.href.startsWith(base), (route) => {
          outside.push(route.request().url())
          return route.abort()
        })
        const opened = await page.goto(`${base}/graphql`)
        // The browser got the page compressed, and can revalidate it.
        expect(await opened!.headerValue("content-encoding")).toBe("br")
        expect(await opened!.headerValue("etag")).toBeTruthy()
        await page.waitForSelector(".graphiql-execute-button", { timeout: 60_000 })
      })

      afterEach(async () => {
        await browser?.close()
      })

      it("opens with the webshop's key and runs the priced, pictured example offline", async () => {
        // The Headers tab holds the demo webshop's publishable key, nothing else.
        const query = getContainer().resolve(ContainerRegistrationKeys.QUERY)
        const { data: keys } = await query.graph({
          entity: "api_key",
          fields: ["token"],
          filters: { title: DEMO_CHANNELS.webshop.keyTitle },
        })
        expect(keys).toHaveLength(1)
        await page.getByRole("button", { name: "Headers" }).click()
        const headers = await page.locator(".graphiql-editor-tool .graphiql-editor:not(.hidden) .view-lines").innerText()
        expect(JSON.parse(headers.replace(/\u00a0/g, " "))).toEqual({ [PUBLISHABLE_KEY_HEADER]: keys[0].token })
        expect(headers).not.toMatch(/authorization|bearer/i)

        // The example runs as it opens: the answer the page got, and what it shows.
        const answered = page.waitForResponse((r) => r.url() === `${base}/graphql` && r.request().method() === "POST")
        const text = await runAndReadResult(page, DEMO_BRANDS[0].name)
        const body = await (await answered).json()
        expect(body.errors).toBeUndefined()
        expect(text).toContain('"amount"')
        expect(text).toMatch(/"currencyCode":\s*"eur"/)
        expect(text).toContain("/static/demo/")
        expect(body.data.brands.totalCount).toBe(10)
        const brands = body.data.brands.nodes
        expect(brands.map((b: any) => b.name)).toEqual(expect.arrayContaining([DEMO_BRANDS[0].name, DEMO_BRANDS[1].name]))
        const products = brands.flatMap((b: any) => b.products.nodes)
        expect(products.length).toBeGreaterThan(0)
        const variants = products.flatMap((p: any) => p.variants)
        variants.forEach((v: any) => expect(v.price).toMatchObject({ amount: expect.stringMatching(/^\d+(\.\d+)?$/), currencyCode: "eur" }))
        // Ember Kitchen's products are on sale (20% off): the example shows it.
        expect(variants.some((v: any) => v.price.onSale && Number(v.price.amount) < Number(v.price.originalAmount))).toBe(true)
        const urls: string[] = products.flatMap((p: any) => [p.thumbnail, ...p.images.map((i: any) => i.url)])
        urls.forEach((url) => expect(new URL(url).pathname).toMatch(/^\/static\/demo\/\d+-[a-z]+\.svg$/))

        // The pictures load in the browser. Their URLs name the File Module's
        // backend URL (port 9000 or PORT); the test server listens elsewhere,
        // so the page loads the same path from it.
        const loaded = await page.evaluate(async (src) => {
          const img = document.createElement("img")
          img.style.cssText = "position:fixed;right:16px;bottom:16px;width:160px;height:160px;border:2px solid #333;z-index:10000"
          img.alt = "a product picture from /static"
          const done = new Promise<void>((ok, fail) => {
            img.onload = () => ok()
            img.onerror = () => fail(new Error(`cannot load ${src}`))
          })
          img.src = src
          document.body.appendChild(img)
          await done
          return { width: img.naturalWidth, height: img.naturalHeight }
        }, `${base}${new URL(products[0].thumbnail).pathname}`)
        expect(loaded.width).toBeGreaterThan(0)
        expect(loaded.height).toBeGreaterThan(0)

        mkdirSync(artifacts, { recursive: true })
        await page.screenshot({ path: resolve(artifacts, "graphiql-storefront-example.png") })

        // The docs explorer knows the schema.
        await page.click('button[aria-label="Show Documentation Explorer"]')
        await page.getByText("Root Types").waitFor({ timeout: 10_000 })
        await page.screenshot({ path: resolve(artifacts, "graphiql-example-query.png") })
        expect(outside).toEqual([])
      })

      it("opens a second tab with the search page example, and runs it", async () => {
        await openTab(page, "Search")
        const answered = page.waitForResponse((r) => r.url() === `${base}/graphql` && r.request().method() === "POST")
        const text = await runAndReadResult(page, '"searchProducts"')
        const body = await (await answered).json()
        expect(body.errors).toBeUndefined()
        const { totalCount, nodes, facets } = body.data.searchProducts
        expect(totalCount).toBeGreaterThan(0)
        nodes.forEach((n: any) => expect(n.title).toMatch(/kettle/i))
        expect(facets.brands.length).toBeGreaterThan(0)
        expect(facets.categories.length).toBeGreaterThan(0)
        expect(facets.prices.map((b: any) => [b.min, b.max])).toEqual([[null, "25"], ["25", "50"], ["50", "100"], ["100", null]])
        expect(facets.prices.reduce((n: number, b: any) => n + b.count, 0)).toBe(totalCount)
        // The result pane shows the hits (it renders only the lines in view).
        expect(text).toMatch(/Kettle/)
        mkdirSync(artifacts, { recursive: true })
        await page.screenshot({ path: resolve(artifacts, "graphiql-search-example.png") })
      })

      it("opens a third tab with predictive search, and runs it", async () => {
        await openTab(page, "Predictive")
        const answered = page.waitForResponse((r) => r.url() === `${base}/graphql` && r.request().method() === "POST")
        const text = await runAndReadResult(page, '"predictiveSearch"')
        const body = await (await answered).json()
        expect(body.errors).toBeUndefined()
        const { queries, products } = body.data.predictiveSearch
        expect(queries.length).toBeGreaterThan(0)
        for (const q of queries) {
          expect(q.text.toLowerCase().startsWith("ket")).toBe(true)
          expect(q.styledText).toMatch(/^ket<mark>.+<\/mark>$/i)
        }
        expect(products.length).toBeGreaterThan(0)
        expect(text).toMatch(/<mark>/)
        mkdirSync(artifacts, { recursive: true })
        await page.screenshot({ path: resolve(artifacts, "graphiql-predictive-example.png") })
      })

      it("sends a mutation with an admin token from the headers editor", async () => {
        const admin = await createAdmin(getContainer(), api)
        await setEditorText(
          page,
          ".graphiql-query-editor",
          'mutation { brandCreate(input: { name: "Lumen Lighting" }) { brand { id handle } userErrors { message } } }'
        )
        await page.getByRole("button", { name: "Headers" }).click()
        await setEditorText(page, ".graphiql-editor-tool", JSON.stringify({ Authorization: `Bearer ${admin.token}` }))
        const text = await runAndReadResult(page, "lumen-lighting")
        expect(text).not.toContain("UNAUTHENTICATED")

        const { rows } = await dbConnection.raw(`select handle from brand where name = 'Lumen Lighting'`)
        expect(rows).toEqual([{ handle: "lumen-lighting" }])

        // The token lives only as long as the tab: GraphiQL keeps nothing of the
        // headers in localStorage (it saves its state after a short debounce).
        await page.waitForTimeout(1500)
        const stored = await page.evaluate(() => Object.entries(localStorage).map(([key, value]) => `${key}=${value}`))
        expect(stored.length).toBeGreaterThan(0)
        expect(stored.filter((entry) => entry.includes(admin.token))).toEqual([])
        mkdirSync(artifacts, { recursive: true })
        await page.screenshot({ path: resolve(artifacts, "graphiql-mutation.png") })
        expect(outside).toEqual([])
      })

      it("runs a subscription over SSE and shows the event a write sends", async () => {
        const admin = await createAdmin(getContainer(), api, "live@test.local")
        const query = getContainer().resolve(ContainerRegistrationKeys.QUERY)
        const { data: keys } = await query.graph({ entity: "api_key", fields: ["token"], filters: { title: DEMO_CHANNELS.webshop.keyTitle } })
        const read = await api.post(
          "/graphql",
          { query: "{ products(first: 1) { nodes { id } } }" },
          { headers: { [PUBLISHABLE_KEY_HEADER]: keys[0].token } }
        )
        const id = read.data.data.products.nodes[0].id
        await setEditorText(
          page,
          ".graphiql-query-editor",
          `subscription LiveProduct @inContext(currencyCode: "eur") { productChanged(id: "${id}") { productId product { title variants { price { amount } } } } }`
        )
        // GraphiQL runs the operation its tab state names, which it updates a moment after an edit.
        await page.waitForFunction(() => {
          const state = JSON.parse(localStorage.getItem("graphiql:tabState") ?? "null")
          return state?.tabs?.[state.activeTabIndex]?.operationName === "LiveProduct"
        })
        // The Headers tab still holds the webshop's key. GraphiQL sends a
        // subscription as a GET (the document in the URL) that accepts
        // text/event-stream; the stream is open once its response has begun.
        const opened = page.waitForResponse(
          (r) => r.url().startsWith(`${base}/graphql?`) && /text\/event-stream/.test(r.request().headers()["accept"] ?? "")
        )
        await page.click(".graphiql-execute-button")
        expect((await opened).headers()["content-type"]).toMatch(/^text\/event-stream/)

        await api.post(`/admin/products/${id}`, { title: "Kettle, now live" }, { headers: admin.headers })
        const result = page.locator(".result-window")
        await result.getByText("Kettle, now live", { exact: false }).first().waitFor({ timeout: 30_000 })
        expect(await result.innerText()).toContain(id)
        mkdirSync(artifacts, { recursive: true })
        await page.screenshot({ path: resolve(artifacts, "graphiql-subscription.png") })
        expect(outside).toEqual([])
      })
    })
  },
})
