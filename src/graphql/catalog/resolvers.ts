import type { Resolvers } from "../__generated__/resolvers-types"
import type { CategoryRecord, VariantRecord } from "../../catalog/records"
import { DecimalScalar, toDecimalString } from "./decimal"

// Product's catalog fields (variants, images, options, categories,
// collection, tags): the product's query.graph call loads them (see
// productProjection); these resolvers only shape Medusa's records.

/** What Medusa's store shows of categories: active and not internal. Admins see every one. */
function visibleCategory(category: CategoryRecord | null | undefined, isAdmin: boolean): category is CategoryRecord {
  return !!category && (isAdmin || (category.is_active === true && category.is_internal === false))
}

const byRank = (a: VariantRecord, b: VariantRecord) =>
  (a.variant_rank ?? 0) - (b.variant_rank ?? 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)

export const catalogResolvers: Resolvers = {
  Decimal: DecimalScalar,
  Product: {
    variants: (product) => [...(product.variants ?? [])].sort(byRank),
    images: (product) => [...(product.images ?? [])].sort((a, b) => (a.rank ?? 0) - (b.rank ?? 0)),
    options: (product) => (product.options ?? []).map((option) => ({ ...option, product_variants: product.variants ?? [] })),
    categories: (product, _, ctx) => (product.categories ?? []).filter((c) => visibleCategory(c, ctx.isAdmin)),
    collection: (product) => product.collection ?? null,
    tags: (product) => product.tags ?? [],
  },
  ProductVariant: {
    options: (variant) => variant.options ?? [],
    // Without @inContext no price is asked for; a variant without a price in
    // the context gets a calculated price with no amount.
    price: (variant) => {
      const price = variant.calculated_price
      return price && price.calculated_amount != null && price.currency_code ? price : null
    },
  },
  ProductOptionValue: {
    option: (value) => value.option?.title ?? "",
    value: (value) => value.value ?? "",
  },
  ProductOption: {
    values: (option) => (option.values ?? []).map((v) => v.value),
  },
  ProductCategory: {
    parent: (category, _, ctx) => {
      const parent = category.parent_category
      return visibleCategory(parent, ctx.isAdmin) ? parent : null
    },
  },
  Price: {
    // The raw amounts hold the decimal as stored; the numbers are parseFloat of it.
    amount: (price) => toDecimalString(price.raw_calculated_amount ?? price.calculated_amount),
    originalAmount: (price) =>
      toDecimalString(
        price.raw_original_amount ?? price.original_amount ?? price.raw_calculated_amount ?? price.calculated_amount
      ),
    currencyCode: (price) => price.currency_code!.toLowerCase(),
    onSale: (price) => price.calculated_price?.price_list_type === "sale",
  },
}
