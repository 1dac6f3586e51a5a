import type { ExecArgs } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { perBrandPageStatement, walkMatches, walkPageStatement } from "../catalog/brand-products"
import { PRODUCT_ENTITY } from "../catalog/entities"
import { planPage } from "../catalog/keyset"
import { LINK_TABLE } from "../catalog/product-sql"

const PRODUCTS = 10_000
const BRANDS = 200
const PAGE_OF_BRANDS = 10
const FIRST = 5

/**
 * Seeds PRODUCTS products over BRANDS brands straight into the database
 * (once), then EXPLAIN ANALYZEs the statements that pick the first FIRST
 * products of each of PAGE_OF_BRANDS brands, as `brands(first: 10) {
 * products(first: 5) }` plans it (the walk in title order, and each brand's
 * links, where brands fall back), beside the window-function plan the
 * LATERAL one replaced.
 */
export default async function explainBrandProducts({ container }: ExecArgs) {
  const db = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const [{ n }] = (await db.raw(`select count(*)::int as n from product`)).rows
  if (n < PRODUCTS) {
    await db.raw(`insert into brand (id, name, handle)
      select 'brand_x' || g, 'Brand ' || g, 'brand-' || g from generate_series(1, ${BRANDS}) g`)
    await db.raw(`insert into product (id, title, handle, status)
      select 'prod_x' || g, 'Product ' || md5(g::text), 'product-' || g,
             case when g % 10 = 0 then 'draft' else 'published' end
      from generate_series(1, ${PRODUCTS}) g`)
    await db.raw(`insert into ${LINK_TABLE} (id, product_id, brand_id)
      select 'link_x' || g, 'prod_x' || g, 'brand_x' || (1 + g % ${BRANDS}) from generate_series(1, ${PRODUCTS}) g`)
    await db.raw(`analyze product; analyze ${LINK_TABLE}; analyze brand`)
  }
  const brandIds = Array.from({ length: PAGE_OF_BRANDS }, (_, i) => `brand_x${i + 1}`)
  const ctx = { db, query, caller: { kind: "storefront" as const, salesChannelIds: null, keyChannelIds: [] }, readCache: { enabled: false, ttl: 0 } }
  const plan = planPage(PRODUCT_ENTITY, { first: FIRST }, null)
  const filter = { categoryIds: null }

  const walk = walkPageStatement(ctx, brandIds, filter, plan, walkMatches(plan.limit, brandIds.length)).toSQL().toNative()
  const lateral = perBrandPageStatement(ctx, brandIds, filter, plan).toSQL().toNative()
  const windowed = {
    sql: `select part, id from (
        select l.brand_id as part, p.id, row_number() over (partition by l.brand_id order by p.title asc, p.id asc) as rn
        from product p join ${LINK_TABLE} l on l.product_id = p.id
        where p.deleted_at is null and p.status = 'published' and l.deleted_at is null and l.brand_id = any($1)
      ) ranked where rn <= $2 order by part, rn`,
    bindings: [brandIds, FIRST + 1],
  }
  console.log(`${PRODUCTS} products over ${BRANDS} brands; brands(first: ${PAGE_OF_BRANDS}) { products(first: ${FIRST}) }\n`)
  const statements = [
    ["walk in title order (this API)", walk],
    ["LATERAL top-N over each brand's links (this API, for brands the walk did not fill)", lateral],
    ["window function (before the LATERAL)", windowed],
  ] as const
  for (const [name, statement] of statements) {
    const { rows } = await db.raw(`explain (analyze, buffers, format json) ${statement.sql.replace(/\$(\d+)/g, "?")}`, statement.bindings as any)
    const root = rows[0]["QUERY PLAN"][0]
    const scanned = countRows(root.Plan, /Scan/)
    const sorted = sortInput(root.Plan)
    console.log(`${name}:`)
    console.log(`  rows returned ${root.Plan["Actual Rows"]}, rows read by scans ${scanned}, rows into sorts ${sorted}, execution ${root["Execution Time"].toFixed(2)} ms`)
    console.log(`  sorts: ${sortMethods(root.Plan).join(", ") || "none"}\n`)
  }
}

/** Rows produced by the plan's nodes whose type matches, over all their loops. */
function countRows(node: any, type: RegExp): number {
  const own = type.test(node["Node Type"]) ? node["Actual Rows"] * (node["Actual Loops"] ?? 1) : 0
  return own + (node.Plans ?? []).reduce((n: number, child: any) => n + countRows(child, type), 0)
}

/** Rows fed into the plan's sorts, over all their loops. */
function sortInput(node: any): number {
  const own = node["Node Type"] === "Sort" ? (node.Plans ?? []).reduce((n: number, c: any) => n + c["Actual Rows"] * (c["Actual Loops"] ?? 1), 0) : 0
  return own + (node.Plans ?? []).reduce((n: number, child: any) => n + sortInput(child), 0)
}

function sortMethods(node: any): string[] {
  const own = node["Sort Method"] ? [`${node["Sort Method"]} (${node["Sort Space Used"]} kB, ${node["Actual Loops"]} loops)`] : []
  return [...own, ...(node.Plans ?? []).flatMap(sortMethods)]
}
