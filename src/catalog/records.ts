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
  variants?: VariantRecord[]
  images?: ImageRecord[]
  options?: OptionRecord[]
  categories?: CategoryRecord[]
  collection?: CollectionRecord | null
  tags?: TagRecord[]
}

/** A decimal as Medusa's Pricing module returns it: a number, and the stored value in raw_*. */
export type RawAmount = { value: string | number; precision?: number } | null

/** Medusa's calculated price of a variant in the query's pricing context. */
export type CalculatedPriceRecord = {
  id?: string
  calculated_amount?: number | string | null
  raw_calculated_amount?: RawAmount
  original_amount?: number | string | null
  raw_original_amount?: RawAmount
  currency_code?: string | null
  calculated_price?: { price_list_type?: string | null } | null
}

export type OptionValueRecord = { id: string; value?: string; option?: { id: string; title?: string } | null }

export type VariantRecord = {
  id: string
  title?: string
  sku?: string | null
  variant_rank?: number | null
  manage_inventory?: boolean
  allow_backorder?: boolean
  options?: OptionValueRecord[]
  calculated_price?: CalculatedPriceRecord | null
}

export type ImageRecord = { id: string; url?: string; rank?: number }

export type OptionRecord = {
  id: string
  title?: string
  values?: { id: string; value: string }[]
  /**
   * The variants of the product the option was read under, set by
   * Product.options: since Medusa 2.16 an option can be shared by several
   * products, so its values' own variants are not this product's.
   */
  product_variants?: VariantRecord[]
}

export type CategoryRecord = {
  id: string
  name?: string
  handle?: string
  is_active?: boolean
  is_internal?: boolean
  parent_category?: CategoryRecord | null
}

export type CollectionRecord = { id: string; title?: string; handle?: string }

export type TagRecord = { id: string; value?: string }
