import type { MedusaContainer } from "@medusajs/framework/types"
import { applyTranslations, ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { queryUnderReadCache } from "./read-cache"
import type { ReadContext } from "./read-context"

/** Each translated record's fields as stored, for what must follow the stored order (cursors). */
const originals = new WeakMap<object, Record<string, unknown>>()

/**
 * Shows the records (and every record nested in them: variants, options and
 * their values, categories, the collection, tags, the brand) in the read's
 * locale, with Medusa's own function, the one Query's `locale` option and
 * so GET /store/products?locale= use: a field takes its translation when one
 * exists and is not empty, and keeps its original text otherwise. One
 * statement per 250 records (Medusa's batch), none without a locale.
 *
 * The records change in place; their fields as stored stay readable through
 * `storedField`, since pages are ordered, and cursors written, by the stored
 * text.
 */
export async function translateRecords<T extends object>(ctx: ReadContext, records: T[]): Promise<T[]> {
  if (!ctx.locale || !records.length) return records
  for (const record of records) originals.set(record, { ...(record as Record<string, unknown>) })
  await applyTranslations({ localeCode: ctx.locale, objects: records as Record<string, any>[], container: queryScope(ctx) })
  return records
}

/** A top-level field of a record as stored, before translation. */
export function storedField(record: object, field: string): unknown {
  return (originals.get(record) ?? (record as Record<string, unknown>))[field]
}

/**
 * What applyTranslations resolves from its container: Query, under the
 * read's cache rule (see queryUnderReadCache), so that a translation written
 * shows on the next read once its answers are purged.
 */
function queryScope(ctx: ReadContext): MedusaContainer {
  const query = queryUnderReadCache(ctx)
  return {
    resolve: (key: string) => {
      if (key !== ContainerRegistrationKeys.QUERY) throw new Error(`Translations need Query only, not ${key}.`)
      return query
    },
  } as unknown as MedusaContainer
}
