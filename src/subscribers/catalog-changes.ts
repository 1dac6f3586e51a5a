import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { brandLinkChanged, EVENT_RULES, PRODUCT_BRAND_LINK_EVENTS } from "../cache/change-table"
import { purgeAnswers } from "../cache/runtime"

type Payload = { id?: string | string[] } | { id?: string }[]

function idsOf(data: Payload): string[] {
  const items = Array.isArray(data) ? data : [data]
  return items.flatMap((d) => (Array.isArray(d?.id) ? d.id : [d?.id])).filter((id): id is string => typeof id === "string")
}

/**
 * Purges the cached GraphQL answers holding what an event changed, however
 * the change was made: a workflow run in code, a scheduled job, another
 * instance. The change table (cache/change-table.ts) says what each event
 * touches; a product-brand link event names only its row, whose product and
 * brand are read from the link (soft-deleted rows included).
 */
export default async function purgeChangedAnswers({ event, container }: SubscriberArgs<Payload>) {
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const ids = idsOf(event.data)
  if (PRODUCT_BRAND_LINK_EVENTS.includes(event.name)) {
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const { data } = await query.graph({
      entity: "product_brand",
      fields: ["product_id", "brand_id"],
      filters: { id: ids },
      withDeleted: true,
    } as any)
    const rows = data as { product_id: string; brand_id: string }[]
    return purgeAnswers(brandLinkChanged(rows.map((r) => r.product_id), rows.map((r) => r.brand_id)), logger)
  }
  const rule = EVENT_RULES[event.name]
  if (rule) await purgeAnswers(rule(ids), logger)
}

export const config: SubscriberConfig = {
  event: [...Object.keys(EVENT_RULES), ...PRODUCT_BRAND_LINK_EVENTS],
  context: { subscriberId: "catalog-changes-purge-answers" },
}
