import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createTranslationsWorkflow, updateStoresWorkflow } from "@medusajs/medusa/core-flows"

// The demo shop in two more languages, through Medusa's Translation Module:
// every brand, category, collection and tag, and one product in five with its
// option and "One size". Every rule is a pure function of the product's
// number n, so tests can compute what to expect.

export const DEMO_LOCALES = ["fr-FR", "de-DE"] as const
export type DemoLocale = (typeof DEMO_LOCALES)[number]
type Texts = Record<DemoLocale, string>

/** Brand texts by brand name: names mostly stay (they are names), descriptions are translated. */
export const DEMO_BRAND_TRANSLATIONS: Record<string, { name?: Texts; description: Texts }> = {
  "Acme Outfitters": { description: { "fr-FR": "Du matériel d'extérieur qui encaisse les coups.", "de-DE": "Outdoor-Ausrüstung, die einiges aushält." } },
  Borealis: { description: { "fr-FR": "Des vêtements pour le grand froid, venus du nord.", "de-DE": "Kleidung für die Kälte, aus dem Norden." } },
  "Cobalt & Co.": { description: { "fr-FR": "Des vêtements de travail bleu profond.", "de-DE": "Arbeitskleidung in Tiefblau." } },
  Driftwood: { description: { "fr-FR": "Maison et décoration du littoral.", "de-DE": "Wohnaccessoires von der Küste." } },
  "Ember Kitchen": {
    name: { "fr-FR": "Ember Cuisine", "de-DE": "Ember Küche" },
    description: { "fr-FR": "Fonte et cuivre pour la cuisine.", "de-DE": "Kochgeschirr aus Gusseisen und Kupfer." },
  },
  "Fjord Audio": { description: { "fr-FR": "Casques et enceintes.", "de-DE": "Kopfhörer und Lautsprecher." } },
  "Granite Bikes": { description: { "fr-FR": "Des cadres en acier, faits pour durer.", "de-DE": "Stahlrahmen, gebaut für die Ewigkeit." } },
  Halcyon: { description: { "fr-FR": "Sommeil et literie.", "de-DE": "Schlafen und Bettwaren." } },
  "Indigo Loom": { description: { "fr-FR": "Des textiles tissés à la main.", "de-DE": "Handgewebte Textilien." } },
  "Juniper Garden": {
    name: { "fr-FR": "Jardin Juniper", "de-DE": "Juniper Garten" },
    description: { "fr-FR": "Des outils pour faire pousser.", "de-DE": "Werkzeug für alles, was wächst." },
  },
}

/** Category names by handle. */
export const DEMO_CATEGORY_TRANSLATIONS: Record<string, Texts> = {
  outdoor: { "fr-FR": "Plein air", "de-DE": "Draußen" },
  clothing: { "fr-FR": "Vêtements", "de-DE": "Kleidung" },
  home: { "fr-FR": "Maison", "de-DE": "Wohnen" },
  "staff-picks": { "fr-FR": "Coups de cœur", "de-DE": "Empfehlungen" },
  clearance: { "fr-FR": "Déstockage", "de-DE": "Räumungsverkauf" },
  camping: { "fr-FR": "Camping", "de-DE": "Camping" },
  jackets: { "fr-FR": "Vestes", "de-DE": "Jacken" },
  kitchen: { "fr-FR": "Cuisine", "de-DE": "Küche" },
  bedding: { "fr-FR": "Literie", "de-DE": "Bettwaren" },
}

/** Collection titles by handle. */
export const DEMO_COLLECTION_TRANSLATIONS: Record<string, Texts> = {
  "autumn-edit": { "fr-FR": "Sélection d'automne", "de-DE": "Herbstauswahl" },
  bestsellers: { "fr-FR": "Meilleures ventes", "de-DE": "Bestseller" },
}

/** Tag values by value. */
export const DEMO_TAG_TRANSLATIONS: Record<string, Texts> = {
  new: { "fr-FR": "nouveau", "de-DE": "neu" },
  eco: { "fr-FR": "éco", "de-DE": "öko" },
  gift: { "fr-FR": "cadeau", "de-DE": "Geschenk" },
}

/** The option's title and the one-size value, for the translated products. */
export const DEMO_OPTION_TRANSLATIONS: { title: Texts; "One size": Texts } = {
  title: { "fr-FR": "Taille", "de-DE": "Größe" },
  "One size": { "fr-FR": "Taille unique", "de-DE": "Einheitsgröße" },
}

type Gender = "m" | "f" | "n"
/** French nouns (gender) and German nouns (gender), in demo-data's noun order. */
const NOUNS: Record<string, { fr: [string, Gender]; de: [string, Gender] }> = {
  Jacket: { fr: ["Veste", "f"], de: ["Jacke", "f"] },
  Kettle: { fr: ["Bouilloire", "f"], de: ["Wasserkocher", "m"] },
  Lamp: { fr: ["Lampe", "f"], de: ["Lampe", "f"] },
  Backpack: { fr: ["Sac à dos", "m"], de: ["Rucksack", "m"] },
  Mug: { fr: ["Tasse", "f"], de: ["Becher", "m"] },
  Blanket: { fr: ["Couverture", "f"], de: ["Decke", "f"] },
  Speaker: { fr: ["Enceinte", "f"], de: ["Lautsprecher", "m"] },
  Trowel: { fr: ["Transplantoir", "m"], de: ["Pflanzkelle", "f"] },
  Bottle: { fr: ["Gourde", "f"], de: ["Flasche", "f"] },
  Scarf: { fr: ["Écharpe", "f"], de: ["Schal", "m"] },
  Bell: { fr: ["Cloche", "f"], de: ["Glocke", "f"] },
  Pan: { fr: ["Poêle", "f"], de: ["Pfanne", "f"] },
  Throw: { fr: ["Plaid", "m"], de: ["Überwurf", "m"] },
  Cap: { fr: ["Casquette", "f"], de: ["Mütze", "f"] },
  Glove: { fr: ["Gant", "m"], de: ["Handschuh", "m"] },
  Tent: { fr: ["Tente", "f"], de: ["Zelt", "n"] },
  Stool: { fr: ["Tabouret", "m"], de: ["Hocker", "m"] },
  Basket: { fr: ["Panier", "m"], de: ["Korb", "m"] },
  Apron: { fr: ["Tablier", "m"], de: ["Schürze", "f"] },
  Rug: { fr: ["Tapis", "m"], de: ["Teppich", "m"] },
}

/** French adjectives (masculine, feminine; after the noun) and German stems (declined before it). */
const ADJECTIVES: Record<string, { fr: [string, string]; de: string }> = {
  Classic: { fr: ["classique", "classique"], de: "klassisch" },
  Light: { fr: ["léger", "légère"], de: "leicht" },
  Rugged: { fr: ["robuste", "robuste"], de: "robust" },
  Compact: { fr: ["compact", "compacte"], de: "kompakt" },
  Deluxe: { fr: ["de luxe", "de luxe"], de: "luxuriös" },
  Everyday: { fr: ["du quotidien", "du quotidien"], de: "praktisch" },
  Field: { fr: ["de terrain", "de terrain"], de: "geländetauglich" },
  Urban: { fr: ["urbain", "urbaine"], de: "urban" },
  Heritage: { fr: ["d'antan", "d'antan"], de: "traditionell" },
  Swift: { fr: ["rapide", "rapide"], de: "flink" },
}

/** German strong endings in the nominative, without an article. */
const GERMAN_ENDING: Record<Gender, string> = { m: "er", f: "e", n: "es" }

/** Whether the nth product is translated: one in five (n % 5 === 0). */
export const demoTranslated = (n: number) => n % 5 === 0

/**
 * A demo product's title and description in each demo locale, from its
 * English title ("Classic Jacket 001"): "Veste classique 001",
 * "Klassische Jacke 001".
 */
export function demoProductTranslation(
  title: string
): Record<DemoLocale, { title: string; description: string }> {
  const [adjective, noun, number] = title.split(" ")
  const fr = NOUNS[noun].fr
  const de = NOUNS[noun].de
  const frTitle = `${fr[0]} ${ADJECTIVES[adjective].fr[fr[1] === "f" ? 1 : 0]}`
  const stem = ADJECTIVES[adjective].de
  const deTitle = `${stem[0].toUpperCase()}${stem.slice(1)}${GERMAN_ENDING[de[1]]} ${de[0]}`
  return {
    "fr-FR": { title: `${frTitle} ${number}`, description: `${frTitle}, modèle ${number}.` },
    "de-DE": { title: `${deTitle} ${number}`, description: `${deTitle}, Modell ${number}.` },
  }
}

type Translation = { reference: string; reference_id: string; locale_code: string; translations: Record<string, string> }

export type DemoTranslationRecords = {
  brands: { id: string; name: string }[]
  categories: Map<string, string>
  collections: Map<string, string>
  tags: Map<string, string>
  /** The translated products: English title, and the ids of their option, values and variants. */
  products: {
    id: string
    title: string
    options: { id: string; values: { id: string; value: string }[] }[]
    variants: { id: string; title: string }[]
  }[]
}

/** Every translation the demo data holds, for the records given. */
export function demoTranslations(records: DemoTranslationRecords): Translation[] {
  const out: Translation[] = []
  const add = (reference: string, reference_id: string, texts: (locale: DemoLocale) => Record<string, string>) => {
    for (const locale_code of DEMO_LOCALES) out.push({ reference, reference_id, locale_code, translations: texts(locale_code) })
  }
  for (const brand of records.brands) {
    const t = DEMO_BRAND_TRANSLATIONS[brand.name]
    if (t) add("brand", brand.id, (l) => ({ ...(t.name ? { name: t.name[l] } : {}), description: t.description[l] }))
  }
  for (const [handle, id] of records.categories) add("product_category", id, (l) => ({ name: DEMO_CATEGORY_TRANSLATIONS[handle][l] }))
  for (const [handle, id] of records.collections) add("product_collection", id, (l) => ({ title: DEMO_COLLECTION_TRANSLATIONS[handle][l] }))
  for (const [value, id] of records.tags) add("product_tag", id, (l) => ({ value: DEMO_TAG_TRANSLATIONS[value][l] }))
  for (const product of records.products) {
    const texts = demoProductTranslation(product.title)
    add("product", product.id, (l) => texts[l])
    for (const option of product.options) {
      add("product_option", option.id, (l) => ({ title: DEMO_OPTION_TRANSLATIONS.title[l] }))
      for (const value of option.values.filter((v) => v.value === "One size")) {
        add("product_option_value", value.id, (l) => ({ value: DEMO_OPTION_TRANSLATIONS["One size"][l] }))
      }
    }
    for (const variant of product.variants.filter((v) => v.title === "One size")) {
      add("product_variant", variant.id, (l) => ({ title: DEMO_OPTION_TRANSLATIONS["One size"][l] }))
    }
  }
  return out
}

/**
 * Adds the demo locales to the store's (the Translation Module takes
 * translations in those only) and creates the demo translations that do not
 * exist yet, in one workflow run. Returns how many it created.
 */
export async function ensureDemoTranslations(container: MedusaContainer, records: DemoTranslationRecords): Promise<number> {
  await ensureStoreLocales(container)
  const wanted = demoTranslations(records)
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data: existing } = await query.graph({
    entity: "translation",
    fields: ["reference_id", "locale_code"],
    filters: { reference_id: [...new Set(wanted.map((t) => t.reference_id))], locale_code: [...DEMO_LOCALES] },
  })
  const have = new Set(existing.map((t: any) => `${t.reference_id} ${t.locale_code}`))
  const missing = wanted.filter((t) => !have.has(`${t.reference_id} ${t.locale_code}`))
  if (missing.length) await createTranslationsWorkflow(container).run({ input: { translations: missing } })
  return missing.length
}

async function ensureStoreLocales(container: MedusaContainer) {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data: [store] } = await query.graph({ entity: "store", fields: ["id", "supported_locales.locale_code"] })
  const current: string[] = (store.supported_locales ?? []).map((l: { locale_code: string }) => l.locale_code)
  const missing = DEMO_LOCALES.filter((l) => !current.includes(l))
  if (!missing.length) return
  await updateStoresWorkflow(container).run({
    input: {
      selector: { id: store.id },
      update: { supported_locales: [...current, ...missing].map((locale_code) => ({ locale_code })) },
    },
  })
}
