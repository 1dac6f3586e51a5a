import { getDirectiveValues, type GraphQLResolveInfo, type OperationDefinitionNode } from "graphql"
import type { MedusaContainer } from "@medusajs/framework/types"
import type { GraphQLContext } from "../context"
import { badUserInput } from "../errors"
import { containsNul } from "../../lib/nul"

/**
 * What Medusa's Pricing module calculates prices for: a region and its
 * currency (as GET /store/products?region_id= does, see Medusa's
 * setPricingContext middleware), or a currency alone.
 */
export type PricingContext = { region_id?: string; currency_code: string }

type Context = Pick<GraphQLContext, "scope" | "query" | "readCache">

export const IN_CONTEXT = "inContext"

/** Contexts already worked out, per request (its scope) and operation. */
const resolved = new WeakMap<MedusaContainer, Map<OperationDefinitionNode, Promise<PricingContext | null>>>()

/**
 * The pricing context of the operation's @inContext, or null without one.
 * A region is looked up once per request (through Query, cached like other
 * reads); an unknown region or a malformed currency fails with
 * BAD_USER_INPUT.
 */
export function pricingContext(ctx: Context, info: GraphQLResolveInfo): Promise<PricingContext | null> {
  let byOperation = resolved.get(ctx.scope)
  if (!byOperation) resolved.set(ctx.scope, (byOperation = new Map()))
  let found = byOperation.get(info.operation)
  if (!found) {
    found = resolvePricingContext(ctx, info)
    byOperation.set(info.operation, found)
  }
  return found
}

async function resolvePricingContext(ctx: Context, info: GraphQLResolveInfo): Promise<PricingContext | null> {
  const directive = info.schema.getDirective(IN_CONTEXT)
  if (!directive) return null
  const args = getDirectiveValues(directive, info.operation, info.variableValues) as
    | { regionId?: string | null; currencyCode?: string | null; locale?: string | null }
    | undefined
  if (!args) return null
  const { regionId, currencyCode } = args
  // An @inContext that sets the language alone sets no prices.
  if (regionId == null && currencyCode == null && args.locale != null) return null

  let currency: string | undefined
  if (currencyCode != null) {
    if (!/^[A-Za-z]{3}$/.test(currencyCode)) {
      throw badUserInput("@inContext(currencyCode:) must be a three-letter ISO 4217 code, e.g. eur.", "currencyCode")
    }
    currency = currencyCode.toLowerCase()
  }
  if (regionId == null) {
    if (!currency) throw badUserInput("@inContext needs regionId, currencyCode or locale.")
    return { currency_code: currency }
  }

  const region = containsNul(regionId) ? undefined : await findRegion(ctx, info, regionId)
  if (!region) throw badUserInput(`@inContext(regionId:): no region has the id "${regionId}".`, "regionId")
  const regionCurrency = region.currency_code.toLowerCase()
  if (currency && currency !== regionCurrency) {
    throw badUserInput(
      `@inContext(currencyCode: "${currencyCode}") differs from the region's currency (${regionCurrency}); give one of them.`,
      "currencyCode"
    )
  }
  return { region_id: region.id, currency_code: regionCurrency }
}

async function findRegion(ctx: Context, info: GraphQLResolveInfo, id: string) {
  const cached = ctx.readCache.enabled && info.operation.operation === "query"
  const { data } = await ctx.query.graph(
    { entity: "region", fields: ["id", "currency_code"], filters: { id } } as any,
    cached
      ? { cache: { enable: true, ttl: ctx.readCache.ttl, tags: ["Region:list:*"], computeAutomaticTags: true } }
      : { cache: { enable: false } }
  )
  return (data as { id: string; currency_code: string }[])[0]
}
