import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { EVENT_RULES, PRODUCT_LINK_EVENTS, PRODUCT_LINKS, productLinkChanged } from "../cache/change-table"
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
 * touches; a product link's event names only its row, whose product and
 * other side are read from the link (soft-deleted rows included).
 */
export default async function purgeChangedAnswers({ event, container }: SubscriberArgs<Payload>) {
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const ids = idsOf(event.data)
  const link = PRODUCT_LINKS[event.name.slice(0, event.name.lastIndexOf("."))]
  if (link) {
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const { data } = await query.graph({
      entity: link.entity,
      fields: ["product_id", link.other],
      filters: { id: ids },
      withDeleted: true,
    } as any)
    const rows = data as Record<string, string>[]
    return purgeAnswers(productLinkChanged(rows.map((r) => r.product_id), rows.map((r) => r[link.other])), logger)
  }
  const rule = EVENT_RULES[event.name]
  if (rule) await purgeAnswers(rule(ids), logger)
}

export const config: SubscriberConfig = {
  event: [...Object.keys(EVENT_RULES), ...PRODUCT_LINK_EVENTS],
  context: { subscriberId: "catalog-changes-purge-answers" },
}
