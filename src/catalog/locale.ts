import { normalizeLocale } from "@medusajs/framework/utils"
import { CatalogInputError } from "./errors"

/** RFC 5646 recommends that a tag fit in 35 characters. */
const MAX_LENGTH = 35

/**
 * A BCP 47 language tag without extensions: a language (2-3 letters), an
 * optional script (4 letters), an optional region (2 letters or 3 digits)
 * and variants. Enough for every locale the Translation Module knows, and
 * short of anything that could reach a statement as more than a value.
 */
const LANGUAGE_TAG = /^[A-Za-z]{2,3}(-[A-Za-z]{4})?(-([A-Za-z]{2}|[0-9]{3}))?(-([A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*$/

/**
 * The locale a read shows its texts in, as Medusa's store routes take it
 * (`?locale=` or `x-medusa-locale`): normalized by Medusa's own rule
 * ("fr-fr" -> "fr-FR"), as the Translation Module stores it. A tag that is
 * not BCP 47 is refused; one the shop has no translations in is not: its
 * reads show the original text, as /store/products does.
 */
export function parseLocale(tag: string, argument = "locale"): string {
  if (tag.length > MAX_LENGTH || !LANGUAGE_TAG.test(tag)) {
    throw new CatalogInputError(`"${argument}" must be a BCP 47 language tag such as "fr-FR" (got ${JSON.stringify(tag.slice(0, MAX_LENGTH))}).`, argument)
  }
  return normalizeLocale(tag)
}
