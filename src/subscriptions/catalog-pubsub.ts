import { createRedisEventTarget } from "@graphql-yoga/redis-event-target"
import { createPubSub, type PubSub } from "graphql-yoga"
import Redis from "ioredis"
import { loadAppConfig } from "../lib/config"
import { catalogChangeOf, type CatalogChangeMessage } from "./catalog-change"

type Logger = { warn: (message: string) => void }
type Listener = (change: CatalogChangeMessage) => void

/**
 * How often open streams check their caller's access again without being
 * told: a key whose revocation was set for a later moment, or a change this
 * instance missed while Redis was out of reach.
 */
export const ACCESS_RECHECK_MS = 60_000

/** After REDIS_PREFIX: the channel of catalog changes. */
export const CHANGE_CHANNEL = "sub:catalog"

type Runtime = { pubsub: PubSub<Record<string, [CatalogChangeMessage]>>; topic: string; logger?: Logger }

let runtime: Runtime | undefined
const listeners = new Set<Listener>()
let listening: Promise<void> | undefined

/**
 * The process's channel of catalog changes, built on first use: through
 * Redis pub/sub with REDIS_URL, so that a change made on one instance (or
 * handled by the worker) reaches the subscribers of every instance; in this
 * process's memory without. A worker only publishes: its subscriber
 * connection is opened when something listens.
 */
function catalogPubSub(logger?: Logger): Runtime {
  if (runtime) {
    runtime.logger ??= logger
    return runtime
  }
  const { redisUrl, redisPrefix } = loadAppConfig()
  const topic = `${redisPrefix}${CHANGE_CHANNEL}`
  if (!redisUrl) return (runtime = { pubsub: createPubSub(), topic, logger })
  const publisher = new Redis(redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true })
  const subscriber = new Redis(redisUrl, { lazyConnect: true })
  // A lost connection is reported by the commands that fail; ioredis reconnects on its own.
  publisher.on("error", () => {})
  subscriber.on("error", () => {})
  let failing = false
  const eventTarget = createRedisEventTarget({
    // The event target does not wait for PUBLISH: its failure is logged here,
    // once per outage, rather than left unhandled.
    publishClient: {
      publish: (channel: string, message: string) =>
        publisher.publish(channel, message).then(
          () => void (failing = false),
          (error: Error) => {
            if (!failing) runtime?.logger?.warn(`Subscriptions: could not publish a catalog change (${error.message}).`)
            failing = true
          }
        ),
    } as unknown as Redis,
    subscribeClient: subscriber,
  })
  return (runtime = { pubsub: createPubSub({ eventTarget }), topic, logger })
}

/**
 * Tells subscribers, on every instance, what a change touched, from the tags
 * the change table gave it (see cache/runtime.ts, purgeAnswers). Never
 * throws: the change is made already.
 */
export function publishCatalogChange(tags: readonly string[], logger?: Logger): void {
  const change = catalogChangeOf(tags)
  if (!change) return
  try {
    const { pubsub, topic } = catalogPubSub(logger)
    pubsub.publish(topic, change)
  } catch (error) {
    logger?.warn(`Subscriptions: could not publish a catalog change (${(error as Error).message}).`)
  }
}

/**
 * Calls `listener` with each catalog change until the returned function is
 * called. The process listens on the channel once, for all its streams.
 */
export function onCatalogChange(listener: Listener): () => void {
  listeners.add(listener)
  listenForCatalogChanges()
  return () => void listeners.delete(listener)
}

/**
 * Starts listening on the channel (with Redis, one SUBSCRIBE), if not yet:
 * the GraphQL server calls it when it is built, so that the first stream
 * does not wait for Redis to confirm the subscription.
 */
export function listenForCatalogChanges(logger?: Logger): void {
  if (logger) catalogPubSub(logger)
  listening ??= listen()
}

async function listen(): Promise<void> {
  const { pubsub, topic } = catalogPubSub()
  // One message for every stream of the process, so that they share the
  // checks it leads to (see oncePerChange).
  setInterval(() => dispatch({ ids: [], prices: false, stock: false, access: true, all: false }), ACCESS_RECHECK_MS).unref()
  for await (const change of pubsub.subscribe(topic)) dispatch(change)
}

function dispatch(change: CatalogChangeMessage): void {
  for (const listener of listeners) {
    try {
      listener(change)
    } catch (error) {
      runtime?.logger?.warn(`Subscriptions: a stream failed on a change (${(error as Error).message}).`)
    }
  }
}
