import type { MedusaContainer } from "@medusajs/framework/types"
import type { Knex } from "@medusajs/framework/mikro-orm/knex"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { LINK_TABLE } from "../catalog/product-sql"

/**
 * A product has at most one live brand: PostgreSQL refuses a second live row
 * for a product in the product-brand link table. See
 * docs/decisions/0002-one-brand-per-product.md.
 */
export const ONE_BRAND_PER_PRODUCT_INDEX = "IDX_product_brand_one_live_per_product"

type Log = { info(message: string): void; warn(message: string): void }

/**
 * Creates the index if it is missing. Rows that break the rule (left by
 * concurrent changes before the rule existed) are settled first: the most
 * recently changed live link of a product stays, the others are soft-deleted.
 * One transaction: a second run, or a run that died half-way, finds either
 * everything done or nothing.
 */
export async function createOneBrandPerProductIndex(db: Knex, log: Log): Promise<void> {
  await db.transaction(async (trx) => {
    const { rows: existing } = await trx.raw("select 1 from pg_class where relname = ? and relkind = 'i'", [
      ONE_BRAND_PER_PRODUCT_INDEX,
    ])
    if (existing.length) return
    const { rows: settled } = await trx.raw(
      `update ${LINK_TABLE} as l set deleted_at = now(), updated_at = now()
         from (select id, row_number() over (partition by product_id order by updated_at desc, id desc) as n
                 from ${LINK_TABLE} where deleted_at is null) as ranked
        where l.id = ranked.id and ranked.n > 1 and l.deleted_at is null
        returning l.product_id`
    )
    if (settled.length) {
      log.warn(`${ONE_BRAND_PER_PRODUCT_INDEX}: ${settled.length} extra live brand links soft-deleted (products kept their latest brand)`)
    }
    await trx.raw(
      `create unique index if not exists "${ONE_BRAND_PER_PRODUCT_INDEX}" on "${LINK_TABLE}" (product_id) where deleted_at is null`
    )
    log.info(`${ONE_BRAND_PER_PRODUCT_INDEX} created`)
  })
}

/**
 * A migration script, not a module migration: the link table is created by
 * `medusa db:migrate`'s link sync, after the modules' migrations and before
 * the scripts (each run once, recorded in `script_migrations`).
 */
export default async function createOneBrandPerProductIndexScript({ container }: { container: MedusaContainer }) {
  const db = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  await createOneBrandPerProductIndex(db, logger)
}
