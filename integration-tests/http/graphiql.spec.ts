import { mkdirSync } from "node:fs"
import { resolve } from "node:path"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import type { Browser, Page } from "playwright-core"
import { seedDemoData, DEMO_BRANDS } from "../../src/scripts/demo-data"
import { createAdmin } from "../helpers/admin"
import { hasChromium, launchChromium } from "../helpers/browser"
import { useStorefrontKey } from "../helpers/storefront"

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

async function runAndReadResult(page: Page, expected: string) {
  await page.click(".graphiql-execute-button")
  const result = page.locator(".result-window")
  await result.getByText(expected, { exact: false }).first().waitFor({ timeout: 30_000 })
  return result.innerText()
}

medusaIntegrationTestRunner({
  inApp: true,
  testSuite: ({ api, getContainer, dbConnection }) => {
    let browser: Browser
    let page: Page
    const outside: string[] = []

    beforeAll(async () => {
      await seedDemoData(getContainer())
      await useStorefrontKey(api, getContainer())
    })

    describeWithBrowser("GraphiQL playground in a real browser", () => {
      beforeEach(async () => {
        browser = await launchChromium()
        page = await browser.newPage({ viewport: { width: 1400, height: 900 } })
        // The playground must work with no internet: anything not from the app fails.
        const base = api.defaults.baseURL as string
        await page.route((url) => !url.href.startsWith(base), (route) => {
          outside.push(route.request().url())
          return route.abort()
        })
        await page.goto(`${base}/graphql`)
        await page.waitForSelector(".graphiql-execute-button", { timeout: 60_000 })
      })

      afterEach(async () => {
        await browser?.close()
      })

      it("runs the example query offline and shows demo brands", async () => {
        const text = await runAndReadResult(page, DEMO_BRANDS[0].name)
        expect(text).toContain(DEMO_BRANDS[1].name)
        expect(text).toMatch(/"totalCount":\s*10/)

        // The docs explorer knows the schema.
        await page.click('button[aria-label="Show Documentation Explorer"]')
        await page.getByText("Root Types").waitFor({ timeout: 10_000 })

        mkdirSync(artifacts, { recursive: true })
        await page.screenshot({ path: resolve(artifacts, "graphiql-example-query.png") })
        expect(outside).toEqual([])
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
    })
  },
})
