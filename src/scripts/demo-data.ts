import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import {
  createApiKeysWorkflow,
  createCollectionsWorkflow,
  createPriceListsWorkflow,
  createProductCategoriesWorkflow,
  createProductTagsWorkflow,
  createProductsWorkflow,
  createRegionsWorkflow,
  createSalesChannelsWorkflow,
  createUsersWorkflow,
  linkSalesChannelsToApiKeyWorkflow,
  updateStoresWorkflow,
} from "@medusajs/medusa/core-flows"
import { createBrandsWorkflow } from "../workflows/create-brands"
import { toHandle } from "../modules/brand/utils/handle"
import { demoAdmin } from "../lib/config"
import { demoStock, ensureDemoStockLevels, ensureStockLocations, type DemoStock } from "./demo-stock"
import { demoTranslated, ensureDemoTranslations } from "./demo-translations"

export const DEMO_BRANDS = [
  { name: "Acme Outfitters", description: "Outdoor gear that takes a beating." },
  { name: "Borealis", description: "Cold-weather clothing from the north." },
  { name: "Cobalt & Co.", description: "Workwear in deep blue." },
  { name: "Driftwood", description: "Coastal homeware." },
  { name: "Ember Kitchen", description: "Cast iron and copper cookware." },
  { name: "Fjord Audio", description: "Headphones and speakers." },
  { name: "Granite Bikes", description: "Steel frames, built to last." },
  { name: "Halcyon", description: "Sleep and bedding." },
  { name: "Indigo Loom", description: "Hand-woven textiles." },
  { name: "Juniper Garden", description: "Tools for growing things." },
]

const ADJECTIVES = ["Classic", "Light", "Rugged", "Compact", "Deluxe", "Everyday", "Field", "Urban", "Heritage", "Swift"]
const NOUNS = ["Jacket", "Kettle", "Lamp", "Backpack", "Mug", "Blanket", "Speaker", "Trowel", "Bottle", "Scarf",
  "Bell", "Pan", "Throw", "Cap", "Glove", "Tent", "Stool", "Basket", "Apron", "Rug"]

export const DEMO_PRODUCT_COUNT = 200

type Status = "published" | "draft" | "proposed" | "rejected"

/** The nth demo product: a deterministic mix of brands and statuses. */
export function demoProduct(n: number) {
  const title = `${ADJECTIVES[n % ADJECTIVES.length]} ${NOUNS[Math.floor(n / ADJECTIVES.length) % NOUNS.length]}`
  const number = String(n + 1).padStart(3, "0")
  // One product in 25 has no brand; the rest are spread over the brands.
  const brandIndex = n % 25 === 24 ? null : n % DEMO_BRANDS.length
  const status: Status = n % 10 === 3 ? "draft" : n % 20 === 7 ? "proposed" : n % 40 === 9 ? "rejected" : "published"
  return {
    title: `${title} ${number}`,
    handle: `${title.toLowerCase().replace(/\s+/g, "-")}-${number}`,
    subtitle: n % 3 === 0 ? `No. ${number}` : null,
    description: `The ${title.toLowerCase()}, model ${number}.`,
    status,
    brandIndex,
  }
}

const nounOf = (n: number) => NOUNS[Math.floor(n / ADJECTIVES.length) % NOUNS.length]

// ---------------------------------------------------------------------------
// The shop around the products: regions, sales channels and their publishable
// keys, variants and prices, a sale, categories, collections, tags and images.
// Every rule below is a pure function of the product's number n (0-199), so
// tests can compute what to expect.

/** The two demo regions; each country may belong to one region only. */
export const DEMO_REGIONS = [
  { name: "Europe", currency_code: "eur", countries: ["de", "fr", "nl"] },
  { name: "United States", currency_code: "usd", countries: ["us"] },
] as const

/** The store's currencies: EUR (the default) and USD. */
export const DEMO_CURRENCIES = [
  { currency_code: "eur", is_default: true },
  { currency_code: "usd", is_default: false },
] as const

export type DemoChannel = "webshop" | "wholesale"

/** The demo sales channels, each with a publishable API key of its own (looked up by title). */
export const DEMO_CHANNELS: Record<DemoChannel, { name: string; description: string; keyTitle: string }> = {
  webshop: { name: "Webshop", description: "The public online shop.", keyTitle: "Webshop key" },
  wholesale: { name: "Wholesale", description: "Trade customers.", keyTitle: "Wholesale key" },
}

/**
 * The sales channels of the nth product: every 7th (n % 7 === 6) is sold to
 * the trade only, every 11th of the rest (n % 11 === 10) in the webshop only,
 * all others in both. Every product is in at least one channel.
 */
export function demoChannels(n: number): DemoChannel[] {
  if (n % 7 === 6) return ["wholesale"]
  if (n % 11 === 10) return ["webshop"]
  return ["webshop", "wholesale"]
}

/** The option every demo product has, and the values its variants use. */
export const DEMO_OPTION_TITLE = "Size"
const SIZES = ["S", "M", "L"]

/**
 * The variants of the nth product: 1 + n % 3 of them. One variant is "One
 * size"; two or three are S, M (and L). SKUs are the handle and the size
 * (`classic-jacket-001-m`). Prices are in major units, as Medusa 2 stores
 * them: EUR from 19.5 up in steps of 5 (larger sizes cost 2 more each), and
 * USD the EUR price times 1.1, rounded to 50 cents.
 */
export function demoVariants(n: number) {
  const { handle } = demoProduct(n)
  const count = 1 + (n % 3)
  const sizes = count === 1 ? ["One size"] : SIZES.slice(0, count)
  const base = 19.5 + (n % 17) * 5
  return sizes.map((size, i) => {
    const eur = base + i * 2
    return {
      title: size,
      size,
      sku: `${handle}-${size.toLowerCase().replace(/\s+/g, "-")}`,
      prices: { eur, usd: Math.round(eur * 1.1 * 2) / 2 },
    }
  })
}

/** The sale: one active price list of type "sale", 20% off every variant of one brand's products. */
export const DEMO_SALE = {
  title: "Ember Kitchen sale",
  description: "20% off everything by Ember Kitchen.",
  brandIndex: 4,
  percentOff: 20,
} as const

/** Whether the nth product's variants are in the sale price list. */
export const demoOnSale = (n: number) => demoProduct(n).brandIndex === DEMO_SALE.brandIndex

/** A sale price: the regular amount less DEMO_SALE.percentOff, to the cent. */
export const demoSalePrice = (amount: number) => Math.round(amount * (100 - DEMO_SALE.percentOff)) / 100

type DemoCategory = { name: string; handle: string; parent?: string; is_active?: boolean; is_internal?: boolean }

/**
 * The category tree, parents first. "Staff picks" is internal and
 * "Clearance" inactive: storefronts see neither (nor their products through them).
 */
export const DEMO_CATEGORIES: DemoCategory[] = [
  { name: "Outdoor", handle: "outdoor" },
  { name: "Clothing", handle: "clothing" },
  { name: "Home", handle: "home" },
  { name: "Staff picks", handle: "staff-picks", is_internal: true },
  { name: "Clearance", handle: "clearance", is_active: false },
  { name: "Camping", handle: "camping", parent: "outdoor" },
  { name: "Jackets", handle: "jackets", parent: "clothing" },
  { name: "Kitchen", handle: "kitchen", parent: "home" },
  { name: "Bedding", handle: "bedding", parent: "home" },
]

const CATEGORY_BY_NOUN: Record<string, string> = {
  Jacket: "jackets", Kettle: "kitchen", Lamp: "home", Backpack: "camping", Mug: "kitchen",
  Blanket: "bedding", Speaker: "home", Trowel: "outdoor", Bottle: "camping", Scarf: "clothing",
  Bell: "home", Pan: "kitchen", Throw: "bedding", Cap: "clothing", Glove: "clothing",
  Tent: "camping", Stool: "home", Basket: "home", Apron: "kitchen", Rug: "home",
}

/**
 * The category handles of the nth product: the one its noun belongs to
 * (Jacket: jackets, Tent: camping, ...), plus "staff-picks" when n % 9 === 0,
 * else "clearance" when n % 13 === 5. One or two categories.
 */
export function demoCategories(n: number): string[] {
  const main = CATEGORY_BY_NOUN[nounOf(n)]
  if (n % 9 === 0) return [main, "staff-picks"]
  if (n % 13 === 5) return [main, "clearance"]
  return [main]
}

/** The demo collections. */
export const DEMO_COLLECTIONS = [
  { title: "Autumn Edit", handle: "autumn-edit" },
  { title: "Bestsellers", handle: "bestsellers" },
] as const

/** The collection handle of the nth product (a product has at most one): autumn-edit when n % 4 === 0, bestsellers when n % 6 === 1. */
export function demoCollection(n: number): "autumn-edit" | "bestsellers" | null {
  if (n % 4 === 0) return "autumn-edit"
  if (n % 6 === 1) return "bestsellers"
  return null
}

/** The demo tags' values. */
export const DEMO_TAGS = ["new", "eco", "gift"] as const

/** The tag values of the nth product: "new" for the last 20, "eco" when n % 3 === 1, "gift" when n % 8 === 5. */
export function demoTags(n: number): (typeof DEMO_TAGS)[number][] {
  const tags: (typeof DEMO_TAGS)[number][] = []
  if (n >= DEMO_PRODUCT_COUNT - 20) tags.push("new")
  if (n % 3 === 1) tags.push("eco")
  if (n % 8 === 5) tags.push("gift")
  return tags
}

/** Shared detail pictures, one to two of which follow a product's main picture. */
const DETAIL_IMAGES = ["stripes", "dots", "grid"]

/**
 * The names of the nth product's images, in rank order: its noun's picture
 * (also the thumbnail), then 0-2 detail pictures (1 + floor(n / 2) % 3 images
 * in all). Names, not URLs: the File Module decides the URLs at upload.
 */
export function demoImages(n: number): string[] {
  const count = 1 + (Math.floor(n / 2) % 3)
  return [nounOf(n).toLowerCase(), ...DETAIL_IMAGES.slice(n % DETAIL_IMAGES.length), ...DETAIL_IMAGES]
    .slice(0, count)
}

/** Every picture the demo products use: one per noun and the detail pictures. */
export const DEMO_IMAGE_NAMES = [...NOUNS.map((noun) => noun.toLowerCase()), ...DETAIL_IMAGES]

/** A small square SVG picture, its colours and pattern derived from its name. */
export function demoImageSvg(name: string): string {
  let hash = 0
  for (const c of name) hash = (hash * 31 + c.charCodeAt(0)) >>> 0
  const hue = hash % 360
  const bg = `hsl(${hue}, 55%, 85%)`
  const fg = `hsl(${hue}, 45%, 30%)`
  const pattern =
    name === "stripes"
      ? Array.from({ length: 8 }, (_, i) => `<rect x="0" y="${i * 50}" width="400" height="25" fill="${fg}" opacity="0.35"/>`).join("")
      : name === "dots"
        ? Array.from({ length: 16 }, (_, i) => `<circle cx="${50 + (i % 4) * 100}" cy="${50 + Math.floor(i / 4) * 100}" r="22" fill="${fg}" opacity="0.4"/>`).join("")
        : name === "grid"
          ? Array.from({ length: 7 }, (_, i) => `<path d="M${(i + 1) * 50} 0V400M0 ${(i + 1) * 50}H400" stroke="${fg}" stroke-width="4" opacity="0.35"/>`).join("")
          : `<circle cx="200" cy="170" r="90" fill="${fg}" opacity="0.8"/>` +
            `<text x="200" y="330" font-family="sans-serif" font-size="48" text-anchor="middle" fill="${fg}">${name[0].toUpperCase()}${name.slice(1)}</text>`
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="400" viewBox="0 0 400 400">` +
    `<rect width="400" height="400" fill="${bg}"/>${pattern}</svg>\n`
  )
}

export type SeedOptions = { adminEmail?: string; adminPassword?: string }

/**
 * Creates the demo shop: brands, the store's currencies, regions, sales
 * channels with their publishable keys, categories, collections, tags,
 * product images, the products (variants, prices, channels, brand links) with
 * a sale price list, and an admin user. Records that already exist (by
 * handle, name, title or e-mail) are left alone, so a second run changes
 * nothing. Products that exist are not updated either.
 */
export async function seedDemoData(container: MedusaContainer, options: SeedOptions = {}) {
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const query = container.resolve(ContainerRegistrationKeys.QUERY)

  const brandHandles = DEMO_BRANDS.map((b) => toHandle(b.name))
  const { data: existingBrands } = await query.graph({
    entity: "brand",
    fields: ["id", "handle"],
    filters: { handle: brandHandles },
  })
  const brandIdByHandle = new Map(existingBrands.map((b: any) => [b.handle, b.id]))
  const missingBrands = DEMO_BRANDS.filter((b) => !brandIdByHandle.has(toHandle(b.name)))
  if (missingBrands.length) {
    const { result } = await createBrandsWorkflow(container).run({
      input: { brands: missingBrands.map((b) => ({ ...b, handle: toHandle(b.name) })) },
    })
    result.forEach((b) => brandIdByHandle.set(b.handle, b.id))
  }

  await ensureStoreCurrencies(container)
  await ensureRegions(container)
  const channelIds = await ensureChannelsAndKeys(container)
  const locationIds = await ensureStockLocations(container, channelIds)
  const categoryIds = await ensureCategories(container)
  const collectionIds = await ensureCollections(container)
  const tagIds = await ensureTags(container)

  const products = Array.from({ length: DEMO_PRODUCT_COUNT }, (_, n) => ({ n, ...demoProduct(n) }))
  const { data: existingProducts } = await query.graph({
    entity: "product",
    fields: ["handle"],
    filters: { handle: products.map((p) => p.handle) },
  })
  const existing = new Set(existingProducts.map((p: any) => p.handle))
  const toCreate = products.filter((p) => !existing.has(p.handle))
  const imageUrls = toCreate.length ? await uploadDemoImages(container) : new Map<string, string>()

  // One workflow run per brand, so the brand link goes through the same
  // additional_data hook that POST /admin/products uses.
  const byBrand = new Map<number | null, typeof toCreate>()
  for (const p of toCreate) byBrand.set(p.brandIndex, [...(byBrand.get(p.brandIndex) ?? []), p])
  for (const [brandIndex, group] of byBrand) {
    const brandId = brandIndex === null ? undefined : brandIdByHandle.get(brandHandles[brandIndex])
    await createProductsWorkflow(container).run({
      input: {
        products: group.map(({ n, brandIndex: _b, ...p }) => {
          const variants = demoVariants(n)
          const images = demoImages(n).map((name) => imageUrls.get(name)!)
          const collection = demoCollection(n)
          return {
            ...p,
            subtitle: p.subtitle ?? undefined,
            options: [{ title: DEMO_OPTION_TITLE, values: variants.map((v) => v.size) }],
            variants: variants.map((v, i) => ({
              title: v.title,
              sku: v.sku,
              options: { [DEMO_OPTION_TITLE]: v.size },
              // Stock is kept for a few (see demo-stock.ts): Medusa makes an
              // inventory item for each managed variant.
              manage_inventory: demoStock(n, i) !== null,
              allow_backorder: demoStock(n, i)?.allowBackorder ?? false,
              prices: [
                { amount: v.prices.eur, currency_code: "eur" },
                { amount: v.prices.usd, currency_code: "usd" },
              ],
            })),
            sales_channels: demoChannels(n).map((c) => ({ id: channelIds[c] })),
            category_ids: demoCategories(n).map((h) => categoryIds.get(h)!),
            collection_id: collection ? collectionIds.get(collection) : undefined,
            tag_ids: demoTags(n).map((t) => tagIds.get(t)!),
            thumbnail: images[0],
            images: images.map((url) => ({ url })),
          }
        }),
        additional_data: brandId ? { brand_id: brandId } : undefined,
      },
    })
  }

  await ensureSalePriceList(container)
  const stockBySku = new Map<string, DemoStock>()
  for (const { n } of products) {
    demoVariants(n).forEach((v, i) => {
      const stock = demoStock(n, i)
      if (stock) stockBySku.set(v.sku, stock)
    })
  }
  await ensureDemoStockLevels(container, locationIds, stockBySku)

  // Two more languages (demo-translations.ts): brands, categories, collections, tags, one product in five.
  const { data: translated } = await query.graph({
    entity: "product",
    fields: ["id", "title", "options.id", "options.values.id", "options.values.value", "variants.id", "variants.title"],
    filters: { handle: products.filter((p) => demoTranslated(p.n)).map((p) => p.handle) },
  })
  await ensureDemoTranslations(container, {
    brands: DEMO_BRANDS.map((b, i) => ({ id: brandIdByHandle.get(brandHandles[i])!, name: b.name })),
    categories: categoryIds,
    collections: collectionIds,
    tags: tagIds,
    products: translated as any,
  })

  const admin = demoAdmin()
  const adminEmail = options.adminEmail ?? admin.email
  const adminPassword = options.adminPassword ?? admin.password
  const created = await ensureAdminUser(container, adminEmail, adminPassword)

  logger.info(
    `Demo data: ${missingBrands.length} brands and ${toCreate.length} products created` +
      (created ? `, admin user ${adminEmail} created.` : ".")
  )
  return { brandsCreated: missingBrands.length, productsCreated: toCreate.length, adminCreated: created }
}

/** EUR (the default) and USD among the store's currencies; others it has stay. */
async function ensureStoreCurrencies(container: MedusaContainer) {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data: stores } = await query.graph({
    entity: "store",
    fields: ["id", "supported_currencies.currency_code", "supported_currencies.is_default"],
  })
  const store = stores[0]
  if (!store) throw new Error("No store: Medusa creates it when the application first loads.")
  const current = (store.supported_currencies ?? []) as { currency_code: string; is_default: boolean }[]
  const missing = DEMO_CURRENCIES.filter((c) => !current.some((s) => s.currency_code === c.currency_code))
  if (!missing.length) return
  const hasDefault = current.some((c) => c.is_default)
  await updateStoresWorkflow(container).run({
    input: {
      selector: { id: store.id },
      update: {
        supported_currencies: [
          ...current.map((c) => ({ currency_code: c.currency_code, is_default: c.is_default })),
          ...missing.map((c) => ({ currency_code: c.currency_code, is_default: !hasDefault && c.is_default })),
        ],
      },
    },
  })
}

async function ensureRegions(container: MedusaContainer) {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data: regions } = await query.graph({
    entity: "region",
    fields: ["id", "name"],
    filters: { name: DEMO_REGIONS.map((r) => r.name) },
  })
  const missing = DEMO_REGIONS.filter((r) => !regions.some((x: any) => x.name === r.name))
  if (!missing.length) return
  await createRegionsWorkflow(container).run({
    input: { regions: missing.map((r) => ({ ...r, countries: [...r.countries] })) },
  })
}

/**
 * The demo sales channels, each with its publishable key linked to it (and
 * to no other channel). Returns the channels' ids.
 */
async function ensureChannelsAndKeys(container: MedusaContainer): Promise<Record<DemoChannel, string>> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const entries = Object.entries(DEMO_CHANNELS) as [DemoChannel, (typeof DEMO_CHANNELS)[DemoChannel]][]

  const { data: channels } = await query.graph({
    entity: "sales_channel",
    fields: ["id", "name"],
    filters: { name: entries.map(([, c]) => c.name) },
  })
  const idByName = new Map<string, string>(channels.map((c: any) => [c.name, c.id]))
  const missingChannels = entries.filter(([, c]) => !idByName.has(c.name))
  if (missingChannels.length) {
    const { result } = await createSalesChannelsWorkflow(container).run({
      input: { salesChannelsData: missingChannels.map(([, c]) => ({ name: c.name, description: c.description })) },
    })
    result.forEach((c) => idByName.set(c.name, c.id))
  }
  const ids = Object.fromEntries(entries.map(([key, c]) => [key, idByName.get(c.name)!])) as Record<DemoChannel, string>

  const { data: keys } = await query.graph({
    entity: "api_key",
    fields: ["id", "title", "revoked_at", "sales_channels.id"],
    filters: { type: "publishable", title: entries.map(([, c]) => c.keyTitle) },
  })
  const keyByTitle = new Map<string, { id: string; channelIds: string[] }>(
    keys
      .filter((k: any) => !k.revoked_at)
      .map((k: any) => [k.title, { id: k.id, channelIds: (k.sales_channels ?? []).map((c: any) => c.id) }])
  )
  const missingKeys = entries.filter(([, c]) => !keyByTitle.has(c.keyTitle))
  if (missingKeys.length) {
    const { result } = await createApiKeysWorkflow(container).run({
      input: { api_keys: missingKeys.map(([, c]) => ({ title: c.keyTitle, type: "publishable" as const, created_by: "" })) },
    })
    result.forEach((k) => keyByTitle.set(k.title, { id: k.id, channelIds: [] }))
  }
  for (const [key, c] of entries) {
    const apiKey = keyByTitle.get(c.keyTitle)!
    if (!apiKey.channelIds.includes(ids[key])) {
      await linkSalesChannelsToApiKeyWorkflow(container).run({ input: { id: apiKey.id, add: [ids[key]] } })
    }
  }
  return ids
}

/** The category tree; returns category ids by handle. */
async function ensureCategories(container: MedusaContainer) {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data: existing } = await query.graph({
    entity: "product_category",
    fields: ["id", "handle"],
    filters: { handle: DEMO_CATEGORIES.map((c) => c.handle) },
  })
  const ids = new Map<string, string>(existing.map((c: any) => [c.handle, c.id]))
  // Parents first: a child needs its parent's id.
  for (const level of [DEMO_CATEGORIES.filter((c) => !c.parent), DEMO_CATEGORIES.filter((c) => c.parent)]) {
    const missing = level.filter((c) => !ids.has(c.handle))
    if (!missing.length) continue
    const { result } = await createProductCategoriesWorkflow(container).run({
      input: {
        product_categories: missing.map(({ parent, ...c }) => ({
          ...c,
          is_active: c.is_active ?? true,
          is_internal: c.is_internal ?? false,
          parent_category_id: parent ? ids.get(parent)! : null,
        })),
      },
    })
    result.forEach((c) => ids.set(c.handle, c.id))
  }
  return ids
}

/** The collections; returns collection ids by handle. */
async function ensureCollections(container: MedusaContainer) {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data: existing } = await query.graph({
    entity: "product_collection",
    fields: ["id", "handle"],
    filters: { handle: DEMO_COLLECTIONS.map((c) => c.handle) },
  })
  const ids = new Map<string, string>(existing.map((c: any) => [c.handle, c.id]))
  const missing = DEMO_COLLECTIONS.filter((c) => !ids.has(c.handle))
  if (missing.length) {
    const { result } = await createCollectionsWorkflow(container).run({
      input: { collections: missing.map((c) => ({ ...c })) },
    })
    result.forEach((c) => ids.set(c.handle!, c.id))
  }
  return ids
}

/** The tags; returns tag ids by value. */
async function ensureTags(container: MedusaContainer) {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data: existing } = await query.graph({
    entity: "product_tag",
    fields: ["id", "value"],
    filters: { value: [...DEMO_TAGS] },
  })
  const ids = new Map<string, string>(existing.map((t: any) => [t.value, t.id]))
  const missing = DEMO_TAGS.filter((t) => !ids.has(t))
  if (missing.length) {
    const { result } = await createProductTagsWorkflow(container).run({
      input: { product_tags: missing.map((value) => ({ value })) },
    })
    result.forEach((t) => ids.set(t.value, t.id))
  }
  return ids
}

/**
 * Stores the demo pictures through the File Module (the local provider
 * writes them to static/, which the server serves at /static) and returns
 * their URLs by name. Called only when products are created, so a seed that
 * creates nothing uploads nothing.
 */
async function uploadDemoImages(container: MedusaContainer) {
  const files = container.resolve(Modules.FILE)
  const uploaded = await files.createFiles(
    DEMO_IMAGE_NAMES.map((name) => ({
      filename: `demo/${name}.svg`,
      mimeType: "image/svg+xml",
      content: Buffer.from(demoImageSvg(name)).toString("base64"),
      access: "public" as const,
    }))
  )
  return new Map(DEMO_IMAGE_NAMES.map((name, i) => [name, uploaded[i].url]))
}

/**
 * The sale price list (active, type "sale") with DEMO_SALE's discount on
 * every variant of the sale brand's demo products, in EUR and USD.
 */
async function ensureSalePriceList(container: MedusaContainer) {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data: lists } = await query.graph({
    entity: "price_list",
    fields: ["id"],
    filters: { title: DEMO_SALE.title },
  })
  if (lists.length) return
  const onSale = Array.from({ length: DEMO_PRODUCT_COUNT }, (_, n) => n).filter(demoOnSale)
  const { data: variants } = await query.graph({
    entity: "product_variant",
    fields: ["id", "sku"],
    filters: { sku: onSale.flatMap((n) => demoVariants(n).map((v) => v.sku)) },
  })
  const idBySku = new Map<string, string>(variants.map((v: any) => [v.sku, v.id]))
  const prices = onSale.flatMap((n) =>
    demoVariants(n)
      .filter((v) => idBySku.has(v.sku))
      .flatMap((v) => [
        { variant_id: idBySku.get(v.sku)!, currency_code: "eur", amount: demoSalePrice(v.prices.eur) },
        { variant_id: idBySku.get(v.sku)!, currency_code: "usd", amount: demoSalePrice(v.prices.usd) },
      ])
  )
  // Products seeded before variants existed have none to discount.
  if (!prices.length) return
  await createPriceListsWorkflow(container).run({
    input: {
      price_lists_data: [
        { title: DEMO_SALE.title, description: DEMO_SALE.description, type: "sale", status: "active", prices } as any,
      ],
    },
  })
}

async function ensureAdminUser(container: MedusaContainer, email: string, password: string) {
  const users = container.resolve(Modules.USER)
  if ((await users.listUsers({ email })).length) return false
  const auth = container.resolve(Modules.AUTH)
  const { result } = await createUsersWorkflow(container).run({ input: { users: [{ email }] } })
  try {
    const { authIdentity, error } = await auth.register("emailpass", { body: { email, password } } as any)
    if (error || !authIdentity) throw new Error(`Could not register the admin user: ${error}`)
    await auth.updateAuthIdentities({ id: authIdentity.id, app_metadata: { user_id: result[0].id } })
  } catch (error) {
    // A user who cannot log in would make the next run skip the admin for good.
    await users.deleteUsers([result[0].id])
    throw error
  }
  return true
}
