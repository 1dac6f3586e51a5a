/** A brand as Query returns it: only the fields that were asked for are set. */
export type BrandRecord = {
  id: string
  name?: string
  handle?: string
  description?: string | null
  metadata?: Record<string, unknown> | null
  created_at?: Date | string
  updated_at?: Date | string
}

/** A product as Query returns it, with its linked brand when asked for. */
export type ProductRecord = {
  id: string
  title?: string
  handle?: string
  subtitle?: string | null
  description?: string | null
  status?: "draft" | "proposed" | "published" | "rejected"
  thumbnail?: string | null
  created_at?: Date | string
  updated_at?: Date | string
  brand?: BrandRecord | null
}
