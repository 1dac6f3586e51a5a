/** How the catalog pages one Query entity: its orders, and the tag its cursors carry. */
export type EntitySpec = {
  /** The record type: the tag of its cursors, and its cache tag. */
  typename: "Brand" | "Product"
  entity: "brand" | "product"
  /** Order enum value -> column. */
  orderColumns: Record<string, string>
  defaultOrder: { field: string; direction: "ASC" | "DESC" }
  dateColumns: Set<string>
}

export const BRAND_ENTITY: EntitySpec = {
  typename: "Brand",
  entity: "brand",
  orderColumns: { NAME: "name", CREATED_AT: "created_at", UPDATED_AT: "updated_at" },
  defaultOrder: { field: "NAME", direction: "ASC" },
  dateColumns: new Set(["created_at", "updated_at"]),
}

export const PRODUCT_ENTITY: EntitySpec = {
  typename: "Product",
  entity: "product",
  orderColumns: { TITLE: "title", CREATED_AT: "created_at", UPDATED_AT: "updated_at" },
  defaultOrder: { field: "TITLE", direction: "ASC" },
  dateColumns: new Set(["created_at", "updated_at"]),
}
