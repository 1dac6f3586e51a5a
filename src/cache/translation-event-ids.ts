import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, TranslationWorkflowEvents } from "@medusajs/framework/utils"

/**
 * The Translation Module's events (`translation.created|updated|deleted`,
 * from its workflows, whatever route or script ran them). Each names the
 * ids of its translation rows only.
 */
export const TRANSLATION_EVENTS: string[] = Object.values(TranslationWorkflowEvents)

/**
 * The records whose texts a translation event changed: each translation
 * row's `reference_id` (a product, a variant, an option or its value, a
 * category, a collection, a tag, a brand). Deleted rows are read too: the
 * module soft-deletes them.
 */
export async function recordsOfTranslationEvent(container: MedusaContainer, ids: string[]): Promise<string[]> {
  if (!ids.length) return []
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph(
    { entity: "translation", fields: ["id", "reference_id"], filters: { id: ids }, withDeleted: true } as any,
    { cache: { enable: false } }
  )
  return [...new Set((data as { reference_id: string }[]).map((t) => t.reference_id))]
}
