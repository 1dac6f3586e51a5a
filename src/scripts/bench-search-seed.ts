import type { ExecArgs } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createApiKeysWorkflow, createSalesChannelsWorkflow, linkSalesChannelsToApiKeyWorkflow } from "@medusajs/medusa/core-flows"
import { LINK_TABLE } from "../catalog/product-sql"

export const BENCH_KEY_TITLE = "Bench key"
const BRANDS = 200
const CATEGORIES = 50

const ADJECTIVES = ["Classic", "Light", "Rugged", "Compact", "Deluxe", "Everyday", "Field", "Urban", "Heritage", "Swift"]
const NOUNS = ["Jacket", "Kettle", "Lamp", "Backpack", "Mug", "Blanket", "Speaker", "Trowel", "Bottle", "Scarf",
  "Bell", "Pan", "Throw", "Cap", "Glove", "Tent", "Stool", "Basket", "Apron", "Rug"]

const sqlArray = (words: string[]) => `array[${words.map((w) => `'${w}'`).join(",")}]`

/**
 * `npm run bench:search` seeds its catalogs with this (`medusa exec … <products>`):
 * N products over 200 brands and 50 categories, written straight into
 * PostgreSQL with set-based statements. Each product has a title of two
 * words from 10 × 20 (so a one-word query finds 1 in 20 or 1 in 10), one
 * variant with a SKU and EUR and USD prices, one or two categories, a brand
 * (1 in 25 has none) and the bench sales channel; 1 in 10 is a draft. A
 * publishable key for the channel is made through Medusa's workflows.
 */
export default async function benchSearchSeed({ container, args }: ExecArgs) {
  const products = Number(args?.[0])
  if (!Number.isSafeInteger(products) || products <= 0) throw new Error("usage: bench-search-seed.ts <products>")
  const db = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)

  const {
    result: [channel],
  } = await createSalesChannelsWorkflow(container).run({ input: { salesChannelsData: [{ name: "Bench" }] } })
  const {
    result: [key],
  } = await createApiKeysWorkflow(container).run({
    input: { api_keys: [{ title: BENCH_KEY_TITLE, type: "publishable", created_by: "bench" }] },
  })
  await linkSalesChannelsToApiKeyWorkflow(container).run({ input: { id: key.id, add: [channel.id] } })

  const started = Date.now()
  const steps: [string, string][] = [
    ["brands", `insert into brand (id, name, handle)
      select 'brand_b' || g, 'Brand ' || g, 'brand-' || g from generate_series(1, ${BRANDS}) g`],
    ["categories", `insert into product_category (id, name, handle, mpath, is_active, is_internal, rank)
      select 'pcat_b' || g, 'Category ' || g, 'category-' || g, 'pcat_b' || g, true, false, g
      from generate_series(1, ${CATEGORIES}) g`],
    ["products", `insert into product (id, title, handle, subtitle, description, status)
      select 'prod_b' || g,
        (${sqlArray(ADJECTIVES)})[1 + g % ${ADJECTIVES.length}] || ' ' || (${sqlArray(NOUNS)})[1 + (g / ${ADJECTIVES.length}) % ${NOUNS.length}] || ' ' || g,
        'product-' || g, 'No. ' || g, 'Model ' || g || ', ' || md5(g::text),
        case when g % 10 = 3 then 'draft' else 'published' end
      from generate_series(1, ${products}) g`],
    ["variants", `insert into product_variant (id, title, sku, product_id)
      select 'variant_b' || g, 'One', 'SKU-' || g, 'prod_b' || g from generate_series(1, ${products}) g`],
    ["price sets", `insert into price_set (id) select 'pset_b' || g from generate_series(1, ${products}) g`],
    ["variant prices", `insert into product_variant_price_set (id, variant_id, price_set_id)
      select 'pvps_b' || g, 'variant_b' || g, 'pset_b' || g from generate_series(1, ${products}) g`],
    ["prices", `insert into price (id, price_set_id, currency_code, amount, raw_amount, rules_count)
      select 'price_b' || c || g, 'pset_b' || g, c, a, jsonb_build_object('value', a::text, 'precision', 20), 0
      from generate_series(1, ${products}) g,
        lateral (values ('eur', 5 + g % 200), ('usd', 6 + g % 200)) v(c, a)`],
    ["categories of products", `insert into product_category_product (product_id, product_category_id)
      select 'prod_b' || g, 'pcat_b' || (1 + g % ${CATEGORIES}) from generate_series(1, ${products}) g
      union all
      select 'prod_b' || g, 'pcat_b' || (1 + (g / 7) % ${CATEGORIES}) from generate_series(1, ${products}) g
      where g % 3 = 0 and (1 + (g / 7) % ${CATEGORIES}) <> (1 + g % ${CATEGORIES})`],
    ["brand links", `insert into ${LINK_TABLE} (id, product_id, brand_id)
      select 'pbl_b' || g, 'prod_b' || g, 'brand_b' || (1 + g % ${BRANDS})
      from generate_series(1, ${products}) g where g % 25 <> 24`],
    ["channel links", `insert into product_sales_channel (id, product_id, sales_channel_id)
      select 'prodsc_b' || g, 'prod_b' || g, '${channel.id}' from generate_series(1, ${products}) g`],
    ["statistics", `analyze`],
  ]
  for (const [, sql] of steps) await db.raw(sql)
  console.log(`seeded ${products} products in ${Date.now() - started} ms`)
}
