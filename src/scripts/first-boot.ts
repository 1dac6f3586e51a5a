import { dirname, join } from "node:path"
import type { ExecArgs } from "@medusajs/framework/types"
import { MigrationScriptsMigrator } from "@medusajs/framework/migrations"
import { ContainerRegistrationKeys, getResolvedPlugins } from "@medusajs/framework/utils"
import seed from "./seed"

/**
 * `npm start`'s first boot of a new database, after `medusa db:migrate
 * --skip-scripts`: the pending migration scripts (Medusa's and the app's, as
 * `medusa db:migrate:scripts` runs them), then the demo seed, in one process.
 * Each medusa command boots the whole application (seconds each); this saves
 * one boot of the four a first start needs.
 */
export default async function firstBoot({ container, args }: ExecArgs) {
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const configModule = container.resolve(ContainerRegistrationKeys.CONFIG_MODULE)
  const plugins = await getResolvedPlugins(process.cwd(), configModule, true)
  const paths = [
    join(dirname(require.resolve("@medusajs/medusa")), "migration-scripts"),
    ...plugins.map((plugin) => join(plugin.resolve, "migration-scripts")),
  ]
  const migrator = new MigrationScriptsMigrator({ container })
  await migrator.ensureMigrationsTable()
  const pending = await migrator.getPendingMigrations(paths)
  if (pending.length) {
    logger.info(`Running ${pending.length} migration script(s)...`)
    await migrator.run(paths)
    logger.info("Migration scripts completed")
  }
  await seed({ container, args })
}
