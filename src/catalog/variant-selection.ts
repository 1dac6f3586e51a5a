import { CatalogInputError } from "./errors"
import type { VariantRecord } from "./records"

/** An option's title and the value chosen for it, as a shopper picks them. */
export type SelectedOption = { name: string; value: string }

/** As many options as a list argument may name elsewhere in the API. */
export const MAX_SELECTED_OPTIONS = 100

/** Refuses a selection that cannot mean one variant: too long, or an option named twice. */
export function checkSelectedOptions(selected: readonly SelectedOption[], argument = "selectedOptions"): void {
  if (selected.length > MAX_SELECTED_OPTIONS) {
    throw new CatalogInputError(`Give at most ${MAX_SELECTED_OPTIONS} selected options.`, argument)
  }
  const seen = new Set<string>()
  for (const { name } of selected) {
    if (seen.has(name)) throw new CatalogInputError(`The option "${name}" is selected more than once.`, argument)
    seen.add(name)
  }
}

/** A variant's option values by option title. */
function optionsByTitle(variant: VariantRecord): Map<string, string> {
  return new Map((variant.options ?? []).map((o) => [o.option?.title ?? "", o.value ?? ""]))
}

/**
 * The variant whose option values are exactly the selection: each selected
 * title has the selected value, and the variant has no other option. Titles
 * and values match as stored (case included). Null when none does.
 */
export function variantWithOptions(
  variants: readonly VariantRecord[],
  selected: readonly SelectedOption[]
): VariantRecord | null {
  checkSelectedOptions(selected)
  return (
    variants.find((variant) => {
      const own = optionsByTitle(variant)
      return own.size === selected.length && selected.every(({ name, value }) => own.get(name) === value)
    }) ?? null
  )
}

/** The variants that have `value` for the option `optionId`. */
export function variantsWithValue(variants: readonly VariantRecord[], optionId: string, value: string): VariantRecord[] {
  return variants.filter((variant) => (variant.options ?? []).some((o) => o.option?.id === optionId && o.value === value))
}
