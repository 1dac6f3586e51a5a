import type { ExecArgs } from "@medusajs/framework/types"
import { seedDemoData } from "./demo-data"

/** `npm run seed`: demo brands, products and an admin user (idempotent). */
export default async function seed({ container }: ExecArgs) {
  await seedDemoData(container)
}
