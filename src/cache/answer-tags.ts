import { MapperKind, mapSchema } from "@graphql-tools/utils"
import { defaultFieldResolver, type GraphQLSchema } from "graphql"
import { TAGS } from "./tags"

/** Where a cacheable operation collects the tags of what it reads (set on its context by the response cache). */
export const ANSWER_TAGS = Symbol("answerTags")

type Tagged = { [ANSWER_TAGS]?: Set<string> }

/** The list tags a root field (or Brand.products) adds, beside the ids it is given. */
function fieldTags(type: string, field: string, args: Record<string, unknown>): string[] {
  const given = (value: unknown) => (typeof value === "string" ? [value] : Array.isArray(value) ? value.filter((v) => typeof v === "string") : [])
  if (type === "Query") {
    switch (field) {
      case "products":
        return [TAGS.products]
      case "searchProducts":
        return [TAGS.products, TAGS.search]
      // Suggestions come from the index's dictionary (search), brands and categories (lists a change purges).
      case "predictiveSearch":
        return [TAGS.products, TAGS.brands, TAGS.search]
      case "brands":
        return [TAGS.brands]
      // By id: the record's tag, even when it is not (yet) visible; by handle: any product or brand could take it.
      case "product":
        return args.handle != null ? [TAGS.products, ...given(args.id)] : given(args.id)
      case "brand":
        return args.handle != null ? [TAGS.brands, ...given(args.id)] : given(args.id)
      case "node":
        return given(args.id)
      case "nodes":
        return given(args.ids)
    }
  }
  if (type === "Brand" && field === "products") return [TAGS.products]
  if (type === "Price") return [TAGS.prices]
  if (STOCK_FIELDS.has(`${type}.${field}`)) return [TAGS.stock]
  return []
}

/** Fields whose answer depends on stock. */
const STOCK_FIELDS = new Set([
  "ProductVariant.availableForSale",
  "ProductVariant.quantityAvailable",
  "Product.availableForSale",
  "ProductOption.valueAvailability",
])

const READS_VARIANTS = new Set(["Product.availableForSale", "Product.variantBySelectedOptions", "ProductOption.valueAvailability"])

type WithVariants = { variants?: { id?: unknown }[]; product_variants?: { id?: unknown }[] }

/**
 * Fields that read variants the answer may not show: a product's
 * availability, a value's availability, the variant a selection picks (or
 * that none does). Their answers carry those variants' ids, which a change
 * to a variant or its stock purges.
 */
function variantsRead(type: string, field: string, parent: unknown): string[] {
  if (!READS_VARIANTS.has(`${type}.${field}`)) return []
  const record = parent as WithVariants | null
  const variants = (type === "Product" ? record?.variants : record?.product_variants) ?? []
  return variants.map((v) => v.id).filter((id): id is string => typeof id === "string")
}

type WithNested = { values?: { id?: unknown }[]; option?: { id?: unknown } | null }

/**
 * Records a field shows the text of without being resolved on them: an
 * option's values (plain strings, or with their availability), a variant's option value's option title.
 * Their answers carry those records' ids, which a change to their text (a
 * translation, an edit) purges.
 */
function nestedTextsRead(type: string, field: string, parent: unknown): string[] {
  const record = parent as WithNested | null
  if (type === "ProductOption" && (field === "values" || field === "valueAvailability")) return (record?.values ?? []).map((v) => v.id).filter(isId)
  if (type === "ProductOptionValue" && field === "option") return [record?.option?.id].filter(isId)
  return []
}

const isId = (id: unknown): id is string => typeof id === "string"

/**
 * The schema with every field resolver recording, on the operation's
 * context, the tags of what the answer holds: the id of each record a field
 * is resolved on, and the lists and look-ups of fields that can hold records
 * not yet in the answer. Only operations the response cache keeps collect.
 */
export function tagAnswers(schema: GraphQLSchema): GraphQLSchema {
  return mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (config, fieldName, typeName) => {
      const resolve = config.resolve ?? defaultFieldResolver
      return {
        ...config,
        resolve(parent, args, context: Tagged, info) {
          const tags = context?.[ANSWER_TAGS]
          if (tags) {
            const id = (parent as { id?: unknown } | null)?.id
            if (typeof id === "string") tags.add(id)
            for (const tag of fieldTags(typeName, fieldName, args)) tags.add(tag)
            for (const variantId of variantsRead(typeName, fieldName, parent)) tags.add(variantId)
            for (const recordId of nestedTextsRead(typeName, fieldName, parent)) tags.add(recordId)
          }
          return resolve(parent, args, context, info)
        },
      }
    },
  })
}
