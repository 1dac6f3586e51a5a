import { DEFAULT_METADATA_LIMITS } from "../lib/json-limits"
import {
  flag,
  nonNegativeInt,
  oneOf,
  optionalFlag,
  optionalList,
  optionalText,
  positiveInt,
  settingGroup,
  text,
} from "./setting"

/**
 * Every setting the application reads from the environment, declared once:
 * how it is parsed, its default and what docs/configuration.md says of it.
 * Defaults let `npm start` work on a machine with nothing but Node installed
 * (scripts/start.mjs provides DATABASE_URL from an embedded PostgreSQL then).
 */

export const WORKER_MODES = ["shared", "server", "worker"] as const
export const OTEL_EXPORTERS = ["none", "console", "otlp"] as const
export const TRUSTED_DOCUMENTS_MODES = ["allow", "only"] as const
/** What traces name the service unless OpenTelemetry's own OTEL_SERVICE_NAME is set. */
export const DEFAULT_OTEL_SERVICE_NAME = "brand-graph"

const server = settingGroup("Server", "The process: what it runs, where it listens and where its data lives.", {
  NODE_ENV: text({
    default: "development",
    description: "`production` turns the playground and introspection off unless they are asked for; `npm test` sets `test`.",
    accepts: "`development`, `production`, `test`, …",
  }),
  PORT: positiveInt({ default: 9000, description: "HTTP port of the server (read by Medusa; here, for file URLs)." }),
  MEDUSA_WORKER_MODE: oneOf(WORKER_MODES, {
    default: "shared",
    description:
      "`server` answers HTTP and emits events; `worker` handles events, workflow steps and scheduled jobs and answers " +
      "only `GET /health`; `shared` does both. Medusa itself ignores a misspelled mode (a process that neither serves " +
      "nor works): here it stops the process.",
  }),
  FILE_BACKEND_URL: optionalText({
    defaultText: "`http://localhost:$PORT/static`",
    accepts: "URL",
    description:
      "Public address of the files the local File Module provider stores in `static/` (product images). It is " +
      "written into each file's URL at upload, so it follows `PORT` by default.",
  }),
})

const database = settingGroup("Database", "PostgreSQL, and how long the server waits on it.", {
  DATABASE_URL: text({
    default: "postgres://postgres@localhost:5432/brand_graph",
    accepts: "URL",
    description: "The PostgreSQL database. Unset, `npm start` boots an embedded PostgreSQL and sets it.",
  }),
  DATABASE_STATEMENT_TIMEOUT_MS: nonNegativeInt({
    default: 5000,
    description:
      "PostgreSQL `statement_timeout` of the server's connections, in ms (`0`: none), so that no request holds a backend past it.",
  }),
  DATABASE_ACQUIRE_TIMEOUT_MS: positiveInt({
    default: 5000,
    description:
      "Longest a request waits for a connection of the server's pool, in ms; while PostgreSQL is out of reach it fails at once instead.",
  }),
})

const redis = settingGroup("Redis", "Optional: with it, several instances share events, workflows, caches, locks and rate limits.", {
  REDIS_URL: optionalText({
    accepts: "URL",
    description:
      "When set, events, workflow state, cached reads, locks and rate limit buckets go through Redis. Unset, all stay in the process.",
  }),
  REDIS_PREFIX: text({
    default: "",
    defaultText: "empty",
    description:
      "Prepended to the app's own keys in Redis (rate limit buckets `rl:`, answers `rc:`, Query's cache `mc:`) and to its " +
      "pub/sub channel of catalog changes (`sub:catalog`), so that several apps, or test runs, can share one Redis.",
  }),
})

const security = settingGroup("Secrets and CORS", "Who may call the server, and what signs its tokens.", {
  JWT_SECRET: optionalText({
    defaultText: "unset",
    description:
      "Signs admin tokens. Unset, Medusa uses a development default and refuses to start in production " +
      "(`npm start`'s embedded PostgreSQL brings one of its own).",
  }),
  COOKIE_SECRET: optionalText({ description: "Signs session cookies; as `JWT_SECRET`." }),
  STORE_CORS: text({ default: "http://localhost:8000", accepts: "comma-separated origins", description: "CORS origins of `/store` routes." }),
  ADMIN_CORS: text({
    default: "http://localhost:5173,http://localhost:9000",
    accepts: "comma-separated origins",
    description: "CORS origins of `/admin` routes.",
  }),
  AUTH_CORS: text({
    default: "http://localhost:5173,http://localhost:9000",
    accepts: "comma-separated origins",
    description: "CORS origins of `/auth` routes.",
  }),
  GRAPHQL_CORS: optionalList({
    defaultText: "`STORE_CORS` and `ADMIN_CORS` together",
    description:
      "Browser origins allowed to call `/graphql` with credentials. `*` allows any origin without credentials " +
      "(no cookies); empty allows none. Any other origin, `null` included, gets no CORS headers.",
  }),
})

const graphql = settingGroup("GraphQL", "What `/graphql` offers besides answers.", {
  GRAPHIQL: optionalFlag({
    defaultText: "on; off when `NODE_ENV=production`",
    description: "The GraphiQL playground at `/graphql`.",
  }),
  GRAPHQL_INTROSPECTION: optionalFlag({
    defaultText: "on; off when `NODE_ENV=production`",
    description: "Schema introspection (`__schema`, `__type`), which the playground's docs and completion need.",
  }),
  GRAPHQL_TRUSTED_DOCUMENTS: oneOf(TRUSTED_DOCUMENTS_MODES, {
    default: "allow",
    description: "`only`: answer persisted documents alone; `allow`: persisted documents and ad-hoc queries.",
  }),
})

const limits = settingGroup("Request limits", "What one request may ask for; larger requests are refused with a typed error.", {
  GRAPHQL_MAX_DEPTH: positiveInt({ default: 8, description: "Deepest selection allowed in a query." }),
  GRAPHQL_MAX_ALIASES: positiveInt({ default: 15, description: "Most aliases allowed in a query." }),
  GRAPHQL_MAX_COST: positiveInt({
    default: 50000,
    description: "Highest operation cost allowed (page sizes multiply, variables included).",
  }),
  GRAPHQL_MAX_TOKENS: positiveInt({ default: 2000, description: "Most tokens allowed in a query document." }),
  GRAPHQL_MAX_SUBSCRIPTIONS_PER_CLIENT: positiveInt({
    default: 20,
    description:
      "Most subscriptions (open SSE streams) one client may hold on one instance at once, clients told apart as by the rate " +
      "limit; one more is refused with `SUBSCRIPTION_LIMIT`.",
  }),
  GRAPHQL_MAX_BODY_BYTES: positiveInt({
    default: 102400,
    defaultText: "`102400` (100 KiB)",
    description: "Largest `/graphql` request body, in bytes; a larger one gets 413 before it is read.",
  }),
  GRAPHQL_DISCARD_BODY_MAX_BYTES: nonNegativeInt({
    default: 64 * 1024 * 1024,
    description:
      "A body over the limit is read and dropped before its 413 goes out, so that clients that send all before they read see it: at most this many bytes (`0`: none, the 413 goes out at once).",
  }),
  GRAPHQL_DISCARD_BODY_TIMEOUT_MS: positiveInt({
    default: 10000,
    description: "How long, in ms, a body over the limit is read and dropped before the 413 goes out regardless.",
  }),
  GRAPHQL_MAX_STRING_LENGTH: positiveInt({
    default: 10000,
    description: "Longest string any argument or variable may hold (characters).",
  }),
  GRAPHQL_MAX_FILTER_LENGTH: positiveInt({
    default: 500,
    description: "Longest string a filter (`eq`, `in`, `contains`) may hold: each is matched against many rows.",
  }),
  GRAPHQL_MAX_JSON_DEPTH: positiveInt({
    default: 32,
    description: "Deepest nesting of a JSON input value; deeper input is refused before any code walks it.",
  }),
  METADATA_MAX_DEPTH: positiveInt({
    default: DEFAULT_METADATA_LIMITS.maxDepth,
    description: "Deepest nesting of a brand's `metadata` (and any JSON input the Brand module takes).",
  }),
  METADATA_MAX_BYTES: positiveInt({
    default: DEFAULT_METADATA_LIMITS.maxBytes,
    description: "Largest brand `metadata`, in bytes of JSON.",
  }),
})

const rateLimits = settingGroup(
  "Rate limits",
  "Per-client limits by query cost (a leaky bucket), in this process's memory or in Redis with `REDIS_URL`.",
  {
    GRAPHQL_RATE_LIMIT: flag({ default: true, description: "Per-client rate limits by query cost." }),
    GRAPHQL_RATE_LIMIT_CAPACITY: positiveInt({
      default: 100000,
      description:
        "Points a client's bucket holds: the burst it may spend at once. Must be at least `GRAPHQL_MAX_COST` " +
        "(the process stops otherwise), so that every operation the cost limit allows can run.",
    }),
    GRAPHQL_RATE_LIMIT_RESTORE_RATE: positiveInt({
      default: 10000,
      description: "Points restored per second: the cost a client may spend over time.",
    }),
    GRAPHQL_RATE_LIMIT_MAX_CLIENTS: positiveInt({
      default: 50000,
      description: "Clients whose buckets one process keeps in memory (without `REDIS_URL`); full ones go first.",
    }),
  }
)

const responseCache = settingGroup(
  "Response cache",
  "Whole GraphQL answers to queries, kept by document, variables and caller, and tagged with what they read; a change " +
    "drops the answers tagged with it (docs/caching.md). In this process's memory, or in Redis with `REDIS_URL`.",
  {
    RESPONSE_CACHE: flag({ default: true, description: "Cache whole answers to queries." }),
    RESPONSE_CACHE_TTL: positiveInt({
      default: 60,
      description: "Longest an answer is kept, in seconds, whatever changes; Query's cache keeps its entries as long.",
    }),
    RESPONSE_CACHE_MAX_BYTES: positiveInt({
      default: 64 * 1024 * 1024,
      defaultText: "`67108864` (64 MiB)",
      description: "Bytes of answers one process keeps in memory (without `REDIS_URL`); the least recently used go first.",
    }),
    RESPONSE_CACHE_MAX_ENTRY_BYTES: positiveInt({
      default: 1048576,
      defaultText: "`1048576` (1 MiB)",
      description: "Largest answer kept, in bytes of JSON; larger ones are answered but not kept.",
    }),
  }
)

const httpCache = settingGroup(
  "HTTP cache",
  "What shared caches in front of the API (Varnish, a CDN) may keep: storefront reads sent as `GET` are `public` " +
    "with an `ETag` and surrogate keys, everything else `private, no-store`; a change purges the keys it touches " +
    "(docs/caching.md, HTTP caching).",
  {
    HTTP_CACHE_MAX_AGE: nonNegativeInt({
      default: 60,
      description:
        "`s-maxage` of public answers, in seconds: how long a shared cache may keep one without asking again. `0`: " +
        "no answer is public. Without `HTTP_CACHE_PURGE_URL`, a shared cache may show a change this late.",
    }),
    HTTP_CACHE_STALE_WHILE_REVALIDATE: nonNegativeInt({
      default: 30,
      description:
        "`stale-while-revalidate` of public answers, in seconds: how long past `s-maxage` a shared cache may answer " +
        "with an unchanged answer while it asks again. Purged answers are never served stale.",
    }),
    HTTP_CACHE_PURGE_URL: optionalList({
      defaultText: "unset: nothing is purged",
      description:
        "Varnish instances to purge on each change (`http://varnish:80/`): an HTTP `PURGE` with the change's keys in " +
        "`xkey-purge`, answered before the write answers (deploy/varnish/default.vcl).",
    }),
  }
)

const queryCache = settingGroup(
  "Query cache",
  "Medusa's Caching Module (its `caching` feature) for Query reads: entries are dropped when Medusa emits a change to what they hold, " +
    "or after `RESPONSE_CACHE_TTL`.",
  {
    QUERY_CACHE: flag({ default: true, description: "Medusa's Caching Module." }),
  }
)

const observability = settingGroup("Observability", "Metrics, traces and readiness.", {
  METRICS_TOKEN: optionalText({
    defaultText: "unset: `/metrics` answers 404",
    description: "Bearer token `/metrics` asks for. Use a long random string.",
  }),
  METRICS_MAX_OPERATION_NAMES: positiveInt({
    default: 100,
    description:
      "Distinct operation names the metrics label; later names count as `other`, so that clients cannot grow the metrics without bound.",
  }),
  OTEL_EXPORTER: oneOf(OTEL_EXPORTERS, {
    default: "none",
    description:
      "Where traces go: nowhere, the console, or an OpenTelemetry collector over HTTP (at OpenTelemetry's own " +
      "`OTEL_EXPORTER_OTLP_ENDPOINT`, default `http://localhost:4318`). Read by `medusa start`. Traces name the service " +
      `\`${DEFAULT_OTEL_SERVICE_NAME}\`, or OpenTelemetry's own \`OTEL_SERVICE_NAME\` when set.`,
  }),
  READY_TIMEOUT_MS: positiveInt({
    default: 1000,
    description:
      "How long each readiness check (PostgreSQL, Redis) may take, in ms, before it counts as down; a result is reused " +
      "for as long, so that a flood of `/ready` runs one check at a time.",
  }),
})

const demoData = settingGroup("Demo data", "The admin user the seed creates (`npm run seed`, `npm start`'s first boot).", {
  ADMIN_EMAIL: text({ default: "admin@example.com", description: "Email of the admin user the seed creates." }),
  ADMIN_PASSWORD: text({ default: "supersecret", description: "Its password." }),
})

/** Every setting by its variable's name, groups in the order the docs list them. */
export const settings = {
  ...server,
  ...database,
  ...redis,
  ...security,
  ...graphql,
  ...limits,
  ...rateLimits,
  ...responseCache,
  ...httpCache,
  ...queryCache,
  ...observability,
  ...demoData,
}

export type SettingName = keyof typeof settings
