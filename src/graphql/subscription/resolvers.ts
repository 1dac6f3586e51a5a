import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { Kind, type FieldNode, type GraphQLResolveInfo, type SelectionSetNode } from "graphql"
import { readBrands } from "../../catalog/brands"
import { CatalogAccessError } from "../../catalog/errors"
import { readProducts } from "../../catalog/products"
import type { Projection } from "../../catalog/read"
import type { BrandRecord, ProductRecord } from "../../catalog/records"
import { containsNul } from "../../lib/nul"
import type { Resolvers } from "../__generated__/resolvers-types"
import type { GraphQLContext } from "../context"
import { badUserInput } from "../errors"
import { brandProjection, productProjection } from "../planning/entities"
import { localeOf } from "../planning/locale"
import { readContextOf } from "../planning/read-context"
import { subSelection } from "../planning/selection"
import { catalogChanges } from "./catalog-changes"
import { ACCESS_ENDED, liveRecord, type LiveEvent } from "./live-record"

const loggerOf = (ctx: GraphQLContext) => ctx.scope.resolve(ContainerRegistrationKeys.LOGGER)

/** An event's value, or the typed error that ends a stream whose key was revoked. */
function eventOf<E>(event: LiveEvent<E>): E {
  if (event === ACCESS_ENDED) throw new CatalogAccessError("PUBLISHABLE_KEY_INVALID")
  return event
}

/**
 * The record's own update time is read whatever the selection: a change to
 * the record sends an event even when the selection shows none of what
 * changed (or only `productId`).
 */
function withUpdatedAt(projection: Projection): Projection {
  return projection.fields.includes("updated_at") ? projection : { ...projection, fields: [...projection.fields, "updated_at"] }
}

/** Fields that show stock, read apart from the product's record. */
const STOCK_FIELDS = new Set(["availableForSale", "quantityAvailable", "valueAvailability"])

/** Whether a selection asks, at any depth (fragments included), for a field of one of these names. */
function selectsAny(info: GraphQLResolveInfo, nodes: readonly FieldNode[] | undefined, names: Set<string>): boolean {
  const seen = new Set<string>()
  const walk = (set: SelectionSetNode | undefined): boolean =>
    (set?.selections ?? []).some((s) => {
      if (s.kind === Kind.FIELD) return names.has(s.name.value) || walk(s.selectionSet)
      if (s.kind === Kind.INLINE_FRAGMENT) return walk(s.selectionSet)
      if (seen.has(s.name.value)) return false
      seen.add(s.name.value)
      return walk(info.fragments[s.name.value]?.selectionSet)
    })
  return (nodes ?? []).some((node) => walk(node.selectionSet))
}

function assertId(id: string): void {
  // No record has a NUL character in its id, and SQL would fail on it.
  if (containsNul([id])) throw badUserInput("The id holds a NUL character.", "id")
}

export const subscriptionResolvers: Resolvers = {
  Subscription: {
    productChanged: {
      subscribe: async (_, { id }, ctx, info) => {
        assertId(id)
        const selection = subSelection(info, info.fieldNodes, "ProductChange")
        const projection = withUpdatedAt(await productProjection(ctx, info, subSelection(info, selection.get("product"), "Product")))
        return liveRecord(ctx, {
          id,
          read: async () => (await readProducts(readContextOf(ctx, info), projection, { ids: [id] }))[0] ?? null,
          // Streams share a read per change only in the same locale.
          readKey: `product:${id}:${localeOf(info) ?? ""}:${JSON.stringify(projection)}`,
          // A pricing context is set when the selection asks for prices and the operation has @inContext.
          readsPrices: projection.context !== undefined,
          showsStock: selectsAny(info, selection.get("product"), STOCK_FIELDS),
          event: (product: ProductRecord | null) => ({ productId: id, product }),
          logger: loggerOf(ctx),
        })
      },
      resolve: (event: LiveEvent<{ productId: string; product: ProductRecord | null }>) => eventOf(event),
    },
    brandChanged: {
      subscribe: async (_, { id }, ctx, info) => {
        assertId(id)
        const selection = subSelection(info, info.fieldNodes, "BrandChange")
        const projection = withUpdatedAt(brandProjection(subSelection(info, selection.get("brand"), "Brand")))
        return liveRecord(ctx, {
          id,
          read: async () => (await readBrands(readContextOf(ctx, info), projection, { ids: [id] }))[0] ?? null,
          readKey: `brand:${id}:${localeOf(info) ?? ""}:${JSON.stringify(projection)}`,
          readsPrices: false,
          showsStock: false,
          event: (brand: BrandRecord | null) => ({ brandId: id, brand }),
          logger: loggerOf(ctx),
        })
      },
      resolve: (event: LiveEvent<{ brandId: string; brand: BrandRecord | null }>) => eventOf(event),
    },
    catalogChanged: {
      subscribe: (_, __, ctx) => catalogChanges(ctx, loggerOf(ctx)),
      resolve: (event: LiveEvent<{ productIds: string[]; brandIds: string[] }>) => eventOf(event),
    },
  },
}
