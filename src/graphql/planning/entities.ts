import type { FieldNode, GraphQLResolveInfo } from "graphql"
import { QueryContext } from "@medusajs/framework/utils"
import { BRAND_ENTITY, PRODUCT_ENTITY, type EntitySpec as CatalogEntity } from "../../catalog/entities"
import type { Projection } from "../../catalog/read"
import { VARIANT_STOCK_FIELDS } from "../../catalog/stock"
import { containsNul } from "../../lib/nul"
import type { GraphQLContext } from "../context"
import { pricingContext } from "./pricing"
import { subSelection, type Selection } from "./selection"

/** How one GraphQL object type reads from one Query entity: the catalog's entity and its fields. */
export type EntitySpec = CatalogEntity & {
  /** GraphQL field -> Query field (scalar fields only). */
  columns: Record<string, string>
}

export const BRAND: EntitySpec = {
  ...BRAND_ENTITY,
  columns: {
    id: "id",
    name: "name",
    handle: "handle",
    description: "description",
    metadata: "metadata",
    createdAt: "created_at",
    updatedAt: "updated_at",
  },
}

export const PRODUCT: EntitySpec = {
  ...PRODUCT_ENTITY,
  columns: {
    id: "id",
    title: "title",
    handle: "handle",
    subtitle: "subtitle",
    description: "description",
    status: "status",
    thumbnail: "thumbnail",
    createdAt: "created_at",
    updatedAt: "updated_at",
  },
}

/** Query fields of the spec's entity that a selection needs (id always). */
function scalarFields(spec: EntitySpec, selection: Selection, prefix = ""): string[] {
  const fields = new Set([`${prefix}id`])
  for (const name of selection.keys()) {
    const column = spec.columns[name]
    if (column) fields.add(`${prefix}${column}`)
  }
  return [...fields]
}

/** Query fields for brands: Brand.products is planned apart (see brand-products-loader). */
export function brandFields(selection: Selection, prefix = ""): string[] {
  return scalarFields(BRAND, selection, prefix)
}

/** Query fields for products; Product.brand becomes brand.* through the link. */
export function productFields(info: GraphQLResolveInfo, selection: Selection): string[] {
  const fields = scalarFields(PRODUCT, selection)
  const brand = selection.get("brand")
  if (brand) fields.push(...brandFields(subSelection(info, brand, "Brand"), "brand."))
  return fields
}

type ProjectionContext = Pick<GraphQLContext, "scope" | "query" | "readCache" | "isAdmin">

/**
 * The projection of a product selection: scalar columns, `brand.*` through
 * the link, and the catalog relations (variants, images, options,
 * categories, collection, tags) with only the fields the selection asks for.
 * Prices are asked for (variants.calculated_price, with the pricing context
 * of the operation's @inContext) only when `variants { price }` is selected
 * and the operation has an @inContext; `price` is null otherwise.
 */
export async function productProjection(
  ctx: ProjectionContext,
  info: GraphQLResolveInfo,
  selection: Selection
): Promise<Projection> {
  const fields = productFields(info, selection)
  const sub = (name: string, typeName: string) => subSelection(info, selection.get(name), typeName)
  const add = (prefix: string, names: string[]) => fields.push(...names.map((n) => `${prefix}.${n}`))
  let context: Record<string, unknown> | undefined

  // Variants are read for Product.variants and variantBySelectedOptions, and
  // for the stock of Product.availableForSale and options' valueAvailability.
  const variantNodes = [...(selection.get("variants") ?? []), ...(selection.get("variantBySelectedOptions") ?? [])]
  const option = sub("options", "ProductOption")
  const valueAvailability = option.has("valueAvailability")
  if (variantNodes.length || selection.has("availableForSale") || valueAvailability) {
    const variant = subSelection(info, variantNodes, "ProductVariant")
    // The rank orders the variants as Medusa does.
    add("variants", ["id", "variant_rank", ...pick(variant, { title: "title", sku: "sku" })])
    if (variant.has("options") || selection.has("variantBySelectedOptions") || valueAvailability) {
      add("variants.options", ["id", "value", "option.id", "option.title"])
    }
    const stock = variant.has("availableForSale") || variant.has("quantityAvailable")
    if (stock || selection.has("availableForSale") || valueAvailability) add("variants", VARIANT_STOCK_FIELDS)
    if (variant.has("price")) {
      const pricing = await pricingContext(ctx, info)
      if (pricing) {
        add("variants.calculated_price", PRICE_FIELDS)
        context = { variants: { calculated_price: QueryContext(pricing) } }
      }
    }
  }
  if (selection.has("images")) add("images", ["id", "rank", ...pick(sub("images", "ProductImage"), { url: "url" })])
  if (selection.has("options")) {
    add("options", ["id", ...pick(option, { title: "title" })])
    if (option.has("values") || valueAvailability) add("options.values", ["id", "value"])
  }
  if (selection.has("categories")) fields.push(...categoryFields(ctx, info, selection.get("categories"), "categories"))
  if (selection.has("collection")) {
    add("collection", ["id", ...pick(sub("collection", "ProductCollection"), { title: "title", handle: "handle" })])
  }
  if (selection.has("tags")) add("tags", ["id", ...pick(sub("tags", "ProductTag"), { value: "value" })])

  return { fields: [...new Set(fields)], ...(context ? { context } : {}) }
}

/** What Price needs of Medusa's calculated price; raw_* keep the stored decimal exactly. */
const PRICE_FIELDS = [
  "id",
  "calculated_amount",
  "raw_calculated_amount",
  "original_amount",
  "raw_original_amount",
  "currency_code",
  "calculated_price.price_list_type",
]

/**
 * Category fields under `prefix`, following `parent` as deep as the selection
 * does. For anonymous callers is_active and is_internal come along: the
 * resolvers hide what Medusa's store hides.
 */
function categoryFields(
  ctx: ProjectionContext,
  info: GraphQLResolveInfo,
  fieldNodes: readonly FieldNode[] | undefined,
  prefix: string
): string[] {
  const category = subSelection(info, fieldNodes, "ProductCategory")
  const names = ["id", ...pick(category, { name: "name", handle: "handle" })]
  if (!ctx.isAdmin) names.push("is_active", "is_internal")
  const fields = names.map((n) => `${prefix}.${n}`)
  if (category.has("parent")) {
    fields.push(...categoryFields(ctx, info, category.get("parent"), `${prefix}.parent_category`))
  }
  return fields
}

/** The Query fields of a ProductCategory selection read on its own (not under a product). */
export function categoryProjection(
  ctx: ProjectionContext,
  info: GraphQLResolveInfo,
  fieldNodes: readonly FieldNode[] | undefined
): Projection {
  return { fields: categoryFields(ctx, info, fieldNodes, "c").map((f) => f.slice(2)) }
}

/** The Query fields of the selected GraphQL fields, by a GraphQL field -> column map. */
function pick(selection: Selection, columns: Record<string, string>): string[] {
  return Object.entries(columns)
    .filter(([field]) => selection.has(field))
    .map(([, column]) => column)
}

/** What a brand read returns for this selection. */
export function brandProjection(selection: Selection): Projection {
  return { fields: brandFields(selection) }
}

/** Prefix of the ids of each type. */
export const ID_PREFIXES: Record<string, EntitySpec> = { brand_: BRAND, prod_: PRODUCT }

export function specForId(id: string): EntitySpec | undefined {
  // No record has an id with a NUL character (PostgreSQL text cannot hold one).
  if (containsNul(id)) return undefined
  const prefix = Object.keys(ID_PREFIXES).find((p) => id.startsWith(p) && id.length > p.length)
  return prefix ? ID_PREFIXES[prefix] : undefined
}
