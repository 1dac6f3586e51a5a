import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { createProductsWorkflow, createUsersWorkflow } from "@medusajs/medusa/core-flows"
import { createBrandsWorkflow } from "../workflows/create-brands"
import { toHandle } from "../modules/brand/utils/handle"

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

export type SeedOptions = { adminEmail?: string; adminPassword?: string }

/**
 * Creates the demo brands, products and links, and an admin user. Records
 * that already exist (by handle or e-mail) are left alone, so a second run
 * changes nothing.
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

  const products = Array.from({ length: DEMO_PRODUCT_COUNT }, (_, n) => demoProduct(n))
  const { data: existingProducts } = await query.graph({
    entity: "product",
    fields: ["handle"],
    filters: { handle: products.map((p) => p.handle) },
  })
  const existing = new Set(existingProducts.map((p: any) => p.handle))
  const toCreate = products.filter((p) => !existing.has(p.handle))

  // One workflow run per brand, so the brand link goes through the same
  // additional_data hook that POST /admin/products uses.
  const byBrand = new Map<number | null, typeof toCreate>()
  for (const p of toCreate) byBrand.set(p.brandIndex, [...(byBrand.get(p.brandIndex) ?? []), p])
  for (const [brandIndex, group] of byBrand) {
    const brandId = brandIndex === null ? undefined : brandIdByHandle.get(brandHandles[brandIndex])
    await createProductsWorkflow(container).run({
      input: {
        products: group.map(({ brandIndex: _b, ...p }) => ({
          ...p,
          subtitle: p.subtitle ?? undefined,
          options: [{ title: "Default", values: ["Default"] }],
        })),
        additional_data: brandId ? { brand_id: brandId } : undefined,
      },
    })
  }

  const adminEmail = options.adminEmail ?? process.env.ADMIN_EMAIL ?? "admin@example.com"
  const adminPassword = options.adminPassword ?? process.env.ADMIN_PASSWORD ?? "supersecret"
  const created = await ensureAdminUser(container, adminEmail, adminPassword)

  logger.info(
    `Demo data: ${missingBrands.length} brands and ${toCreate.length} products created` +
      (created ? `, admin user ${adminEmail} created.` : ".")
  )
  return { brandsCreated: missingBrands.length, productsCreated: toCreate.length, adminCreated: created }
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
