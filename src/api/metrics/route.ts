import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { metricsRegistry } from "../../lib/metrics"

/** Prometheus' scrape endpoint; the bearer token is checked in src/api/middlewares.ts. */
export async function GET(_req: MedusaRequest, res: MedusaResponse) {
  const registry = metricsRegistry()
  res.set("Content-Type", registry.contentType).set("Cache-Control", "no-store").send(await registry.metrics())
}
