import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { domainsOfEvent } from "../lib/response-cache/catalog-domains"
import { bumpCatalogVersions } from "../lib/response-cache/runtime"

/**
 * Drops the cached GraphQL answers that read what an event changed, however
 * the change was made: GraphQL, admin REST, a workflow run in code, a
 * scheduled job, another instance. Every event is heard (links name only
 * their row, so the event's name is what tells what changed); those of other
 * modules change no catalog domain and drop nothing.
 */
export default async function dropCachedAnswers({ event, container }: SubscriberArgs<unknown>) {
  await bumpCatalogVersions(domainsOfEvent(event.name), container.resolve(ContainerRegistrationKeys.LOGGER))
}

export const config: SubscriberConfig = {
  event: "*",
  context: { subscriberId: "response-cache-catalog-changes" },
}
