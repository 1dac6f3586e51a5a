import type { GraphQLResolveInfo } from "graphql"
import { containsNul } from "../../lib/nul"
import { subSelection, type Selection } from "./selection"

/** How one GraphQL object type reads from one Query entity. */
export type EntitySpec = {
  typename: "Brand" | "Product"
  entity: "brand" | "product"
  /** GraphQL field -> Query field (scalar fields only). */
  columns: Record<string, string>
  /** Order enum value -> column. */
  orderColumns: Record<string, string>
  defaultOrder: { field: string; direction: "ASC" | "DESC" }
  dateColumns: Set<string>
}

export const BRAND: EntitySpec = {
  typename: "Brand",
  entity: "brand",
  columns: {
    id: "id",
    name: "name",
    handle: "handle",
    description: "description",
    metadata: "metadata",
    createdAt: "created_at",
    updatedAt: "updated_at",
  },
  orderColumns: { NAME: "name", CREATED_AT: "created_at", UPDATED_AT: "updated_at" },
  defaultOrder: { field: "NAME", direction: "ASC" },
  dateColumns: new Set(["created_at", "updated_at"]),
}

export const PRODUCT: EntitySpec = {
  typename: "Product",
  entity: "product",
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
  orderColumns: { TITLE: "title", CREATED_AT: "created_at", UPDATED_AT: "updated_at" },
  defaultOrder: { field: "TITLE", direction: "ASC" },
  dateColumns: new Set(["created_at", "updated_at"]),
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

export function fieldsFor(spec: EntitySpec, info: GraphQLResolveInfo, selection: Selection) {
  return spec === PRODUCT ? productFields(info, selection) : brandFields(selection)
}

/** Prefix of the ids of each type. */
export const ID_PREFIXES: Record<string, EntitySpec> = { brand_: BRAND, prod_: PRODUCT }

export function specForId(id: string): EntitySpec | undefined {
  // No record has an id with a NUL character (PostgreSQL text cannot hold one).
  if (containsNul(id)) return undefined
  const prefix = Object.keys(ID_PREFIXES).find((p) => id.startsWith(p) && id.length > p.length)
  return prefix ? ID_PREFIXES[prefix] : undefined
}
