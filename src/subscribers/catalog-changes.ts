import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import {
  EVENT_RULES,
  PRODUCT_LINK_EVENTS,
  productLinkChanged,
  STOCK_EVENTS,
  stockChanged,
  TRANSLATION_EVENTS,
  translationsChanged,
} from "../cache/change-table"
import { variantsOfStockEvent } from "../cache/stock-event-ids"
import { recordsOfTranslationEvent } from "../cache/translation-event-ids"
import { purgeAnswers } from "../cache/runtime"
import { productIdsOfEvents, VARIANT_EVENTS } from "../search/product-event-ids"

type Payload = { id?: string | string[] } | { id?: string }[]

function idsOf(data: Payload): string[] {
  const items = Array.isArray(data) ? data : [data]
  return items.flatMap((d) => (Array.isArray(d?.id) ? d.id : [d?.id])).filter((id): id is string => typeof id === "string")
}

/**
 * Purges the cached GraphQL answers holding what an event changed, however
 * the change was made: a workflow run in code, a scheduled job, another
 * instance. The change table (cache/change-table.ts) says what each event
 * touches; a product link's event names only its row, whose product is
 * read from the link (soft-deleted rows included) as the search index does;
 * an inventory event names its item, level or reservation, whose variants
 * are read; a translation event its translation rows, whose records are read.
 */
export default async function purgeChangedAnswers({ event, container }: SubscriberArgs<Payload>) {
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const ids = idsOf(event.data)
  // A variant created or deleted changes its product's answers (its variants, its availability),
  // which hold no id of the new one: its product is read, as the search index does.
  if (VARIANT_EVENTS.includes(event.name)) {
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const [productIds] = await productIdsOfEvents([{ name: event.name, data: event.data }] as any, query as any)
    return purgeAnswers([...ids, ...productIds], logger)
  }
  if (PRODUCT_LINK_EVENTS.includes(event.name)) {
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const [productIds] = await productIdsOfEvents([{ name: event.name, data: event.data }] as any, query as any)
    return purgeAnswers(productLinkChanged(productIds, []), logger)
  }
  if (STOCK_EVENTS.includes(event.name)) {
    return purgeAnswers(stockChanged(await variantsOfStockEvent(container, event.name, ids)), logger)
  }
  if (TRANSLATION_EVENTS.includes(event.name)) {
    return purgeAnswers(translationsChanged(await recordsOfTranslationEvent(container, ids)), logger)
  }
  const rule = EVENT_RULES[event.name]
  if (rule) await purgeAnswers(rule(ids), logger)
}

export const config: SubscriberConfig = {
  event: [...Object.keys(EVENT_RULES), ...PRODUCT_LINK_EVENTS, ...STOCK_EVENTS, ...TRANSLATION_EVENTS],
  context: { subscriberId: "catalog-changes-purge-answers" },
}
