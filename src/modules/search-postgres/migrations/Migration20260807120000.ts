// The package provider's migration (its catalog table), under its own name:
// Medusa runs a provider's migrations from its own folder, and a database the
// package's provider already migrated has this one recorded as done. A new
// migration of @medusajs/search-postgres needs its own file here too.
export { Migration20260807120000 } from "@medusajs/search-postgres/dist/migrations/Migration20260807120000"
