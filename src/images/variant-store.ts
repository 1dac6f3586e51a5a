import { createHash, randomBytes } from "node:crypto"
import { mkdir, rename, stat, unlink, writeFile } from "node:fs/promises"
import path from "node:path"
import sharp from "sharp"
import { sourcePath } from "./source"
import type { ImageTransform } from "./transform"
import type { ImageVariant } from "./variant-url"

// Transformed images are encoded once and kept on disk: a second request
// for the same URL reads the stored file. Keys of the local provider are
// unique per upload (a timestamp prefix), so a stored variant never goes stale.

export type StoredVariant = { path: string; fromStore: boolean }

/** Why no variant could be made: no such source file, or a file sharp cannot decode. */
export type VariantMiss = "no-source" | "unreadable"

export type VariantStoreOptions = {
  /** The local File Module provider's folder (static/). */
  uploadDir: string
  /** Where encoded variants are kept. */
  storeDir: string
  /** At most this many encodings at a time in the process (each uses a libvips thread pool). */
  maxConcurrentEncodings?: number
}

export function variantStore(options: VariantStoreOptions) {
  const inFlight = new Map<string, Promise<StoredVariant | VariantMiss>>()
  const slots = semaphore(options.maxConcurrentEncodings ?? 2)

  const storedPath = (v: ImageVariant) =>
    path.join(options.storeDir, `${createHash("sha256").update(v.canonical).digest("hex").slice(0, 40)}.${v.transform.format}`)

  async function encode(v: ImageVariant, target: string): Promise<StoredVariant | VariantMiss> {
    const source = sourcePath(options.uploadDir, v.fileKey)
    if (!source || !(await isFile(source))) return "no-source"
    let bytes: Buffer
    try {
      bytes = await slots.run(() => pipeline(source, v.transform).toBuffer())
    } catch {
      return "unreadable"
    }
    await mkdir(options.storeDir, { recursive: true })
    // Written aside and renamed: a reader never sees half a file.
    const temporary = `${target}.${randomBytes(6).toString("hex")}.tmp`
    await writeFile(temporary, bytes)
    await rename(temporary, target).catch(async (error) => {
      await unlink(temporary).catch(() => undefined)
      throw error
    })
    return { path: target, fromStore: false }
  }

  return {
    /** The stored file of a variant, encoding it first when it is not kept yet; concurrent requests share one encoding. */
    async get(v: ImageVariant): Promise<StoredVariant | VariantMiss> {
      const target = storedPath(v)
      if (await isFile(target)) return { path: target, fromStore: true }
      let pending = inFlight.get(target)
      if (!pending) {
        pending = encode(v, target).finally(() => inFlight.delete(target))
        inFlight.set(target, pending)
      }
      return pending
    },
  }
}

export type VariantStore = ReturnType<typeof variantStore>

/** Fits the image in the box (never enlarged), upright by its EXIF orientation, in the format asked. */
function pipeline(source: string, t: ImageTransform) {
  let image = sharp(source).rotate()
  if (t.maxWidth != null || t.maxHeight != null) {
    image = image.resize({ width: t.maxWidth ?? undefined, height: t.maxHeight ?? undefined, fit: "inside", withoutEnlargement: true })
  }
  switch (t.format) {
    case "jpg":
      // JPEG has no transparency: a white background, as a page usually has.
      return image.flatten({ background: "#ffffff" }).jpeg({ quality: 80, mozjpeg: true })
    case "png":
      return image.png()
    case "webp":
      return image.webp({ quality: 80 })
    case "avif":
      return image.avif({ quality: 50, effort: 4 })
  }
}

async function isFile(file: string): Promise<boolean> {
  return stat(file).then((s) => s.isFile(), () => false)
}

function semaphore(size: number) {
  let running = 0
  const waiting: (() => void)[] = []
  return {
    async run<T>(work: () => Promise<T>): Promise<T> {
      if (running >= size) await new Promise<void>((resolve) => waiting.push(resolve))
      running++
      try {
        return await work()
      } finally {
        running--
        waiting.shift()?.()
      }
    },
  }
}
