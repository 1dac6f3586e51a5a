import { containsNul } from "../../lib/nul"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"

export type EnsureRecordsExistInput = {
  /** Query entity: "brand" or "product". */
  entity: "brand" | "product"
  ids: string[]
  /** The input field that named the ids, reported with a not-found error. */
  field: string
}

/** A not-found error that says which input field named the missing record. */
export class RecordNotFoundError extends MedusaError {
  constructor(message: string, public readonly field: string) {
    super(MedusaError.Types.NOT_FOUND, message)
  }
}

/** Throws a RecordNotFoundError unless every id names a live record of the entity. */
export async function assertRecordsExist(
  container: MedusaContainer,
  { entity, ids, field }: EnsureRecordsExistInput
): Promise<void> {
  const unique = [...new Set(ids)]
  if (!unique.length) return
  // No record has an id with a NUL character (PostgreSQL text cannot hold
  // one, and sending it fails the statement): such an id is simply missing.
  const lookable = unique.filter((id) => !containsNul(id))
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = lookable.length
    ? await query.graph({ entity, fields: ["id"], filters: { id: lookable } })
    : { data: [] as { id: string }[] }
  const found = new Set(data.map((r: { id: string }) => r.id))
  const missing = unique.filter((id) => !found.has(id))
  if (missing.length) {
    const label = entity === "brand" ? "Brand" : "Product"
    throw new RecordNotFoundError(`${label} with id "${missing[0]}" was not found.`, field)
  }
}

/** Fails with NOT_FOUND unless every id names a live record of the entity. */
export const ensureRecordsExistStep = createStep(
  "ensure-records-exist",
  async (input: EnsureRecordsExistInput, { container }) => {
    await assertRecordsExist(container, input)
    return new StepResponse(input.ids)
  }
)
