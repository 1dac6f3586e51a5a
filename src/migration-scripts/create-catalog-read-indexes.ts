import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createCatalogReadIndexes } from "../catalog/read-indexes"

/**
 * The catalog's indexes on tables that Medusa's modules own (products, the
 * product-brand and product-sales channel links): see CATALOG_READ_INDEXES.
 *
 * A migration script, not a module migration: `medusa db:migrate` runs
 * scripts once each (recorded in `script_migrations`), after every module's
 * migrations and the link tables are in place, whatever order the modules
 * migrate in. A migration of the Brand module could not count on the product
 * table existing yet, and would break that module's isolation (it runs
 * against the module's own connection, alone in its module tests).
 */
export default async function createCatalogReadIndexesScript({ container }: { container: MedusaContainer }) {
  const db = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  await createCatalogReadIndexes(db, logger)
}
