import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { loadAppConfig } from "../../lib/config"
import { readinessProbe, type Readiness } from "../../lib/readiness"

let probe: (() => Promise<Readiness>) | undefined

/**
 * Readiness: 200 when PostgreSQL (and Redis, with REDIS_URL) answer, 503 when
 * one does not; the body says which. Concurrent checks share one run and a
 * result is reused for as long as a check may take (READY_TIMEOUT_MS), so a flood of checks (load balancers,
 * anyone) never queues behind itself. `/health` stays Medusa's liveness check.
 */
export async function GET(req: MedusaRequest, res: MedusaResponse) {
  if (!probe) {
    const { redisUrl, observability } = loadAppConfig()
    const db = req.scope.resolve(ContainerRegistrationKeys.PG_CONNECTION) as { client: { config: { connection: object } } }
    probe = readinessProbe({
      // The server's own connection settings (URL, SSL), through a pool of the probe's.
      postgres: db.client.config.connection,
      redisUrl,
      timeoutMs: observability.readyTimeoutMs,
      // Reused for as long as a check may take: at most one check per timeout, whatever the flood.
      reuseMs: observability.readyTimeoutMs,
      logger: req.scope.resolve(ContainerRegistrationKeys.LOGGER),
    })
  }
  const result = await probe()
  res.status(result.status === "ready" ? 200 : 503).set("Cache-Control", "no-store").json(result)
}
