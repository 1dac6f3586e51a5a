// What a transformed product image costs, without a server: the first request
// (decode, resize, encode, store) against the next ones (the stored file),
// per format, through the app's own variant store (src/images/variant-store.ts).
//
//   npm run bench:images        (RUNS, default 5; SIZE of the source photo, default 2400x1600)
//
// The source is a noisy photo-like PNG and one of the demo's SVG pictures, in a
// temporary folder; nothing of the app's own .data/ or static/ is touched.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { createRequire } from "node:module"

const root = resolve(import.meta.dirname, "..")
const require = createRequire(resolve(root, "package.json"))
require("ts-node").register({ transpileOnly: true, swc: true, project: resolve(root, "tsconfig.json") })
const sharp = require("sharp")
const { variantStore } = require(resolve(root, "src/images/variant-store.ts"))
const { canonicalVariant } = require(resolve(root, "src/images/signing.ts"))
const { demoImageSvg } = require(resolve(root, "src/scripts/demo-data.ts"))

const runs = Number(process.env.RUNS || 5)
const [width, height] = (process.env.SIZE || "2400x1600").split("x").map(Number)
const dir = mkdtempSync(join(tmpdir(), "bench-images-"))
const uploadDir = join(dir, "static")
const storeDir = join(dir, "variants")
require("node:fs").mkdirSync(uploadDir)

const noise = Buffer.alloc(width * height * 3)
for (let i = 0; i < noise.length; i++) noise[i] = (i * 2654435761) >>> 24
writeFileSync(join(uploadDir, "photo.png"), await sharp(noise, { raw: { width, height, channels: 3 } }).blur(3).png().toBuffer())
writeFileSync(join(uploadDir, "mug.svg"), demoImageSvg("mug"))

const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]
const store = variantStore({ uploadDir, storeDir })
let n = 0
console.log(`source: ${width}x${height} PNG and a 400x400 SVG; ${runs} runs each; median ms`)
console.log("source  transform        first (encode+store)  stored")
for (const fileKey of ["photo.png", "mug.svg"]) {
  for (const format of ["jpg", "png", "webp", "avif"]) {
    const transform = { maxWidth: 640, maxHeight: null, format }
    const first = []
    const stored = []
    for (let r = 0; r < runs; r++) {
      // A distinct variant each run (a height nobody reaches), so each first request encodes.
      const v = { ...transform, maxHeight: 2000 - ++n }
      const variant = { fileKey, transform: v, canonical: canonicalVariant(fileKey, v) }
      let t = process.hrtime.bigint()
      await store.get(variant)
      first.push(Number(process.hrtime.bigint() - t) / 1e6)
      t = process.hrtime.bigint()
      const hit = await store.get(variant)
      require("node:fs").readFileSync(hit.path)
      stored.push(Number(process.hrtime.bigint() - t) / 1e6)
    }
    console.log(`${fileKey.padEnd(10)} w640 ${format.padEnd(5)}  ${median(first).toFixed(1).padStart(12)}  ${median(stored).toFixed(2).padStart(12)}`)
  }
}
rmSync(dir, { recursive: true, force: true })
