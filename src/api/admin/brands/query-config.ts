export const brandFields = [
  "id",
  "name",
  "handle",
  "description",
  "metadata",
  "created_at",
  "updated_at",
]

export const retrieveBrandQueryConfig = { defaults: brandFields, isList: false }

export const listBrandsQueryConfig = { defaults: brandFields, isList: true, defaultLimit: 20 }
