import sharp from "sharp"
import { sourcePath } from "./source"

// The width and height of catalog images, read from the file's header with
// sharp once per file and kept in a bounded map (least recently used out).
// A local provider's key names one upload for good, so an entry never goes
// stale; the answer cache above keeps whole answers, so the map is read on
// misses only. Memory stays flat in catalog size: at most MAX_ENTRIES.

export type Dimensions = { width: number; height: number } | null

const MAX_ENTRIES = 10_000

export function dimensionsReader(uploadDir: string, maxEntries = MAX_ENTRIES) {
  const known = new Map<string, Promise<Dimensions>>()

  async function read(key: string): Promise<Dimensions> {
    const file = sourcePath(uploadDir, key)
    if (!file) return null
    try {
      const meta = await sharp(file).metadata()
      // As it shows: a photo turned by its EXIF orientation has its sides swapped.
      const width = meta.autoOrient?.width ?? meta.width
      const height = meta.autoOrient?.height ?? meta.height
      return width && height ? { width, height } : null
    } catch {
      return null
    }
  }

  return {
    /** The original's dimensions, or null when its file is missing or not an image sharp reads. */
    of(key: string): Promise<Dimensions> {
      let entry = known.get(key)
      if (entry) {
        // Most recently used last.
        known.delete(key)
        known.set(key, entry)
        return entry
      }
      entry = read(key)
      known.set(key, entry)
      if (known.size > maxEntries) known.delete(known.keys().next().value!)
      return entry
    },
  }
}

export type DimensionsReader = ReturnType<typeof dimensionsReader>
