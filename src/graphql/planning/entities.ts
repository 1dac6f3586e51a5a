import type { GraphQLResolveInfo } from "graphql"
import { BRAND_ENTITY, PRODUCT_ENTITY, type EntitySpec as CatalogEntity } from "../../catalog/entities"
import type { Projection } from "../../catalog/read"
import { containsNul } from "../../lib/nul"
import type { GraphQLContext } from "../context"
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

/** What a product read returns for this selection: Query's fields, and Query's context. */
export function productProjection(_ctx: GraphQLContext, info: GraphQLResolveInfo, selection: Selection): Projection {
  return { fields: productFields(info, selection) }
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
