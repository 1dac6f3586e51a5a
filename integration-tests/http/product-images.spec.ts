import { rename } from "node:fs/promises"
import path from "node:path"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { Modules } from "@medusajs/framework/utils"
import { createProductsWorkflow } from "@medusajs/medusa/core-flows"
import sharp from "sharp"
import { demoImageSvg } from "../../src/scripts/demo-data"
import { createAdmin } from "../helpers/admin"
import { errorCode, gql, gqlData, type Headers } from "../helpers/graphql"

jest.setTimeout(120 * 1000)

// Product images in the size and format a page asks for: ProductImage.url(transform:) hands out a
// signed URL of this server, which encodes the image with sharp on the first request and serves
// the stored file after. Real files uploaded through Medusa's File Module (the local provider, as
// the demo data does), real HTTP, the bytes checked with sharp.

const IMAGES = `query ($handle: String!) {
  product(handle: $handle) {
    images {
      url
      width
      height
      thumb: url(transform: { maxWidth: 120, format: WEBP })
      banner: url(transform: { maxWidth: 100, maxHeight: 50, format: JPG })
      avif: url(transform: { maxHeight: 90, format: AVIF })
      sameFormat: url(transform: { maxWidth: 64 })
    }
  }
}`

const TRANSFORM = `query ($handle: String!, $t: ImageTransformInput!) { product(handle: $handle) { images { url(transform: $t) } } }`

/** GETs an absolute URL from the server under test, as bytes, whatever the status. */
async function fetchImage(api: any, url: string, headers: Headers = {}) {
  const { pathname } = new URL(url)
  return api.get(pathname, { responseType: "arraybuffer", validateStatus: () => true, headers })
}

medusaIntegrationTestRunner({
  inApp: true,
  testSuite: ({ api, getContainer }) => {
    let admin: Headers
    let pngUrl: string
    let svgUrl: string

    beforeAll(async () => {
      const container = getContainer()
      admin = (await createAdmin(container, api)).headers
      // A raster photo (640x480) and one of the demo's SVG pictures, uploaded as the seed uploads.
      const png = await sharp({ create: { width: 640, height: 480, channels: 3, background: "#3366aa" } }).png().toBuffer()
      const [photo, picture] = await container.resolve(Modules.FILE).createFiles([
        { filename: "test/photo.png", mimeType: "image/png", content: png.toString("base64"), access: "public" },
        { filename: "test/mug.svg", mimeType: "image/svg+xml", content: Buffer.from(demoImageSvg("mug")).toString("base64"), access: "public" },
      ])
      pngUrl = photo.url
      svgUrl = picture.url
      await createProductsWorkflow(container).run({
        input: {
          products: [
            { title: "Pictured", handle: "pictured", status: "published", options: [{ title: "Default", values: ["Default"] }], images: [{ url: pngUrl }, { url: svgUrl }] },
            { title: "Elsewhere", handle: "elsewhere", status: "published", options: [{ title: "Default", values: ["Default"] }], images: [{ url: "https://images.example.com/a.jpg" }] },
          ],
        },
      })
    })

    it("gives the original's size, and signed URLs that serve the size and format asked", async () => {
      const data = await gqlData(api, IMAGES, { handle: "pictured" }, admin)
      const [photo, picture] = data.product.images
      expect(photo).toMatchObject({ url: pngUrl, width: 640, height: 480 })
      expect(picture).toMatchObject({ url: svgUrl, width: 400, height: 400 })
      expect(photo.thumb).toMatch(/^http:\/\/[^/]+\/images\/[A-Za-z0-9_-]{22}\/w120\/[A-Za-z0-9_-]+\.webp$/)

      const expected = [
        { url: photo.thumb, format: "webp", width: 120, height: 90, type: "image/webp" },
        { url: photo.banner, format: "jpeg", width: 67, height: 50, type: "image/jpeg" },
        { url: photo.avif, format: "heif", width: 120, height: 90, type: "image/avif" },
        // No format asked: the original's.
        { url: photo.sameFormat, format: "png", width: 64, height: 48, type: "image/png" },
        // An SVG is rasterized: PNG unless asked otherwise.
        { url: picture.thumb, format: "webp", width: 120, height: 120, type: "image/webp" },
        { url: picture.sameFormat, format: "png", width: 64, height: 64, type: "image/png" },
      ]
      for (const e of expected) {
        const res = await fetchImage(api, e.url)
        expect(res.status).toBe(200)
        expect(res.headers["content-type"]).toBe(e.type)
        const meta = await sharp(Buffer.from(res.data)).metadata()
        expect({ url: e.url, format: meta.format, width: meta.width, height: meta.height }).toEqual({
          url: e.url,
          format: e.format,
          width: e.width,
          height: e.height,
        })
      }
    })

    it("encodes once: the second request is served from storage, with immutable caching headers", async () => {
      const { product } = await gqlData(
        api,
        `query ($handle: String!) { product(handle: $handle) { images { url(transform: { maxWidth: 33, format: WEBP }) } } }`,
        { handle: "pictured" },
        admin
      )
      const url = product.images[0].url
      const first = await fetchImage(api, url)
      expect(first.status).toBe(200)
      expect(first.headers["x-cache"]).toBe("MISS")
      expect(first.headers["cache-control"]).toBe("public, max-age=31536000, immutable")
      expect(first.headers.etag).toBeTruthy()

      // The original moved away: only the stored variant can answer now.
      const key = decodeURIComponent(new URL(pngUrl).pathname.replace(/^\/static\//, ""))
      const source = path.join(process.cwd(), "static", key)
      await rename(source, `${source}.away`)
      try {
        const second = await fetchImage(api, url)
        expect(second.status).toBe(200)
        expect(second.headers["x-cache"]).toBe("HIT")
        expect(second.headers["cache-control"]).toBe("public, max-age=31536000, immutable")
        expect(Buffer.from(second.data).equals(Buffer.from(first.data))).toBe(true)
        expect(second.headers.etag).toBe(first.headers.etag)
        const revalidated = await fetchImage(api, url, { "if-none-match": first.headers.etag })
        expect(revalidated.status).toBe(304)

        // A variant not stored yet, of a source that is gone: 404, not 500.
        const { product: again } = await gqlData(
          api,
          `query ($handle: String!) { product(handle: $handle) { images { url(transform: { maxWidth: 34 }) } } }`,
          { handle: "pictured" },
          admin
        )
        expect((await fetchImage(api, again.images[0].url)).status).toBe(404)
      } finally {
        await rename(`${source}.away`, source)
      }
    })

    it("refuses URLs it did not sign: 403 for a changed signature, size, format or file, 404 for nonsense", async () => {
      const data = await gqlData(api, IMAGES, { handle: "pictured" }, admin)
      const url = new URL(data.product.images[0].thumb)
      const [, , signature, size, file] = url.pathname.split("/")
      const flipped = (signature[0] === "A" ? "B" : "A") + signature.slice(1)
      const otherFile = new URL(data.product.images[1].thumb).pathname.split("/")[4]
      for (const tampered of [
        `/images/${flipped}/${size}/${file}`,
        `/images/${signature}/w2000/${file}`,
        `/images/${signature}/${size}/${file.replace(/\.webp$/, ".png")}`,
        `/images/${signature}/${size}/${otherFile}`,
      ]) {
        const res = await api.get(tampered, { validateStatus: () => true })
        expect({ tampered, status: res.status }).toEqual({ tampered, status: 403 })
      }
      // A file key of a private upload, one that climbs out of static/, a size out of range, an unknown format.
      const encode = (key: string) => Buffer.from(key).toString("base64url")
      for (const nonsense of [
        `/images/${signature}/${size}/${encode("../package.json")}.webp`,
        `/images/${signature}/${size}/${encode("test/private-1-x.png")}.webp`,
        `/images/${signature}/w0/${file}`,
        `/images/${signature}/w99999/${file}`,
        `/images/${signature}/${size}/${file.replace(/\.webp$/, ".gif")}`,
        `/images/short/${size}/${file}`,
        `/images/${signature}/${size}/not-base64!.webp`,
      ]) {
        const res = await api.get(nonsense, { validateStatus: () => true })
        expect({ nonsense, status: res.status }).toEqual({ nonsense, status: 404 })
      }
    })

    it("answers BAD_USER_INPUT for a size out of range or an unknown format", async () => {
      for (const t of [{ maxWidth: 0 }, { maxHeight: -3 }, { maxWidth: 2049 }, { maxHeight: 100000 }]) {
        const res = await gql(api, TRANSFORM, { handle: "pictured", t }, admin)
        expect({ t, code: errorCode(res) }).toEqual({ t, code: "BAD_USER_INPUT" })
        expect(res.errors![0].extensions!.argument).toBe("transform")
      }
      const format = await gql(api, TRANSFORM, { handle: "pictured", t: { format: "GIF" } }, admin)
      expect(errorCode(format)).toBe("BAD_USER_INPUT")
      const literal = await gql(api, `{ product(handle: "pictured") { images { url(transform: { maxWidth: 0 }) } } }`, {}, admin)
      expect(errorCode(literal)).toBe("BAD_USER_INPUT")
      // The edges of the range are fine.
      const edges = await gql(api, TRANSFORM, { handle: "pictured", t: { maxWidth: 1, maxHeight: 2048 } }, admin)
      expect(edges.errors).toBeUndefined()
    })

    it("leaves images it does not store alone: their own URL, no size, nothing fetched", async () => {
      const data = await gqlData(
        api,
        `{ product(handle: "elsewhere") { images { url width height t: url(transform: { maxWidth: 100, format: WEBP }) } } }`,
        {},
        admin
      )
      expect(data.product.images).toEqual([
        { url: "https://images.example.com/a.jpg", width: null, height: null, t: "https://images.example.com/a.jpg" },
      ])
      // No transform, or an empty one: the original URL, as before.
      const plain = await gqlData(api, TRANSFORM, { handle: "pictured", t: {} }, admin)
      expect(plain.product.images[0].url).toBe(pngUrl)
    })
  },
})
