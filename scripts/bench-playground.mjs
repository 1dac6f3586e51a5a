// Bytes and time of the playground page (GET /graphql, Accept: text/html)
// as different clients load it, against a running server:
//
//   npm start            (or any server with GRAPHIQL=true)
//   npm run bench:playground          (BASE_URL, default http://localhost:9000)
//
// Prints, per Accept-Encoding, the bytes on the wire (body and headers) and
// the median time of RUNS loads; the first compressed load, which compresses
// the page once; a revalidation (If-None-Match → 304); and, where Chromium is
// installed, what a browser's first load of the page transfers in all.
import { existsSync } from "node:fs"
import { request } from "node:http"

const base = process.env.BASE_URL || "http://localhost:9000"
const runs = Number(process.env.RUNS || 9)
const chromiumPath = process.env.CHROMIUM_PATH || "/usr/bin/chromium"

/** One request; the body is counted as it comes over the wire (not decompressed). */
function load(headers, method = "GET") {
  return new Promise((ok, fail) => {
    const started = process.hrtime.bigint()
    const req = request(`${base}/graphql`, { method, headers: { accept: "text/html", ...headers } }, (res) => {
      let bytes = 0
      res.on("data", (chunk) => (bytes += chunk.length))
      res.on("end", () => {
        const headerBytes = res.rawHeaders.reduce((n, h) => n + h.length + 2, 0) + 17
        ok({ status: res.statusCode, headers: res.headers, bytes, headerBytes, ms: Number(process.hrtime.bigint() - started) / 1e6 })
      })
    })
    req.on("error", fail)
    req.end()
  })
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const kb = (n) => `${(n / 1024).toLocaleString("en", { maximumFractionDigits: 0 })} KiB`

const head = await load({}, "HEAD")
if (head.status !== 200 || !String(head.headers["content-type"]).includes("text/html")) {
  console.error(`No playground at ${base}/graphql (HEAD answered ${head.status}); start the server with GRAPHIQL=true.`)
  process.exit(1)
}

console.log(`Playground page at ${base}/graphql, ${runs} loads each (median)\n`)
console.log("| Client sends | Status | Content-Encoding | Bytes on the wire | vs. uncompressed | Time |")
console.log("| --- | --- | --- | ---: | ---: | ---: |")
const cases = [
  ["Accept-Encoding: identity (as before: always uncompressed)", { "accept-encoding": "identity" }],
  ["Accept-Encoding: gzip", { "accept-encoding": "gzip" }],
  ["Accept-Encoding: gzip, deflate, br, zstd (Chromium)", { "accept-encoding": "gzip, deflate, br, zstd" }],
]
let identity = 0
let etag = ""
for (const [label, headers] of cases) {
  const first = await load(headers)
  const rest = []
  for (let i = 0; i < runs; i++) rest.push(await load(headers))
  const bytes = rest[0].bytes + rest[0].headerBytes
  if (!identity) identity = bytes
  etag = rest[0].headers.etag
  console.log(
    `| ${label} | ${rest[0].status} | ${rest[0].headers["content-encoding"] ?? "none"} | ${bytes.toLocaleString("en")} (${kb(bytes)}) | ` +
      `${(bytes / identity).toFixed(3)} | ${median(rest.map((r) => r.ms)).toFixed(1)} ms (first: ${first.ms.toFixed(0)} ms) |`
  )
}
const revalidations = []
for (let i = 0; i < runs; i++) revalidations.push(await load({ "accept-encoding": "br", "if-none-match": etag }))
const revalidated = revalidations[0]
console.log(
  `| If-None-Match: <its ETag> (a reload) | ${revalidated.status} | none | ${(revalidated.bytes + revalidated.headerBytes).toLocaleString("en")} | ` +
    `${((revalidated.bytes + revalidated.headerBytes) / identity).toFixed(5)} | ${median(revalidations.map((r) => r.ms)).toFixed(1)} ms |`
)

if (existsSync(chromiumPath)) {
  // A browser's first load with an empty cache: every response's bytes on the wire.
  const { chromium } = await import("playwright-core")
  const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ["--no-sandbox", "--disable-gpu"] })
  try {
    const page = await browser.newPage()
    const cdp = await page.context().newCDPSession(page)
    await cdp.send("Network.enable")
    await cdp.send("Network.setCacheDisabled", { cacheDisabled: true })
    let transferred = 0
    const requests = new Map()
    // Requests over the network only (the page's fonts and workers come from data: and blob: URLs inside it).
    cdp.on("Network.requestWillBeSent", (e) => {
      if (e.request.url.startsWith(base)) requests.set(e.requestId, `${e.request.method} ${new URL(e.request.url).pathname}`)
    })
    cdp.on("Network.loadingFinished", (e) => {
      if (requests.has(e.requestId)) transferred += e.encodedDataLength
    })
    await page.goto(`${base}/graphql`)
    await page.waitForSelector(".graphiql-execute-button", { timeout: 60_000 })
    await page.waitForTimeout(1500)
    console.log(
      `\nChromium, first load with an empty cache: ${transferred.toLocaleString("en")} bytes (${kb(transferred)}) in ${requests.size} requests ` +
        `(${[...requests.values()].join(", ")}), against ${identity.toLocaleString("en")} for the page alone uncompressed.`
    )
  } finally {
    await browser.close()
  }
}
