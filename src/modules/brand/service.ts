import { MedusaError, MedusaService } from "@medusajs/framework/utils"
import { Brand } from "./models/brand"
import { firstFreeHandle, HANDLE_MAX_LENGTH, isValidHandle, toHandle } from "./utils/handle"
import { findUnstorableField } from "./utils/storable-text"
import { DEFAULT_METADATA_LIMITS, jsonShapeProblem, type JsonLimits } from "../../lib/json-limits"

export const NAME_MAX_LENGTH = 200

/** Room kept for a "-<n>" suffix when a handle is derived (up to n = 10^9 - 1). */
const SUFFIX_ROOM = 11

export type BrandInput = {
  name?: string | null
  handle?: string | null
  description?: string | null
  metadata?: Record<string, unknown> | null
}

export type CreateBrandInput = BrandInput & { name: string }

/** A brand input that passed the module's rules, with its handle settled. */
export type PreparedBrandInput = {
  name?: string
  handle?: string
  description?: string | null
  metadata?: Record<string, unknown> | null
}

/** Error thrown for a rule violation, with the input field at fault. */
export class BrandInputError extends MedusaError {
  constructor(
    type: string,
    message: string,
    public readonly field: string
  ) {
    super(type, message)
  }
}

/**
 * The unique index on live handles turns a write that lost a race for a
 * handle into Medusa's generic INVALID_DATA "Brand with handle: …, already
 * exists." error. This recognises it and returns the module's own
 * DUPLICATE_ERROR for the handle field (null for any other error).
 */
export function asHandleClash(error: unknown): BrandInputError | null {
  const e = error as { type?: string; message?: string } | null
  const match =
    e?.type === MedusaError.Types.INVALID_DATA &&
    /^Brand with handle: (.*), already exists\.$/.exec(e.message ?? "")
  if (!match) return null
  return new BrandInputError(
    MedusaError.Types.DUPLICATE_ERROR,
    `Brand handle "${match[1]}" is already taken.`,
    "handle"
  )
}

/** The module's options (medusa-config.ts): how deep and large metadata may be. */
export type BrandModuleOptions = { metadata?: Partial<JsonLimits> }

class BrandModuleService extends MedusaService({ Brand }) {
  private readonly metadataLimits: Required<JsonLimits>

  constructor(container: Record<string, unknown>, options: BrandModuleOptions = {}) {
    // eslint-disable-next-line prefer-rest-params
    super(...arguments)
    this.metadataLimits = { ...DEFAULT_METADATA_LIMITS, ...options?.metadata }
  }

  /**
   * Applies the brand rules to create inputs: names are trimmed and 1-200
   * characters; a given handle must be URL-safe and free; a missing one is
   * derived from the name, with a numeric suffix when that is taken.
   * `spread` > 1 picks a derived handle among that many free ones (see
   * firstFreeHandle): for a retry after a concurrent create took the handle.
   */
  async prepareBrandsForCreate(inputs: CreateBrandInput[], { spread = 1 }: { spread?: number } = {}): Promise<PreparedBrandInput[]> {
    const prepared = inputs.map((input) => ({
      ...this.checkFields(input),
      name: this.checkName(input.name),
    }))
    await this.settleHandles(prepared, [], true, spread)
    return prepared
  }

  /** Same rules for an update of one brand; an omitted field stays as it is. */
  async prepareBrandForUpdate(id: string, input: BrandInput): Promise<PreparedBrandInput> {
    const prepared: PreparedBrandInput = this.checkFields(input)
    if (input.name !== undefined) prepared.name = this.checkName(input.name)
    await this.settleHandles([prepared], [id], false)
    return prepared
  }

  private checkName(name: string | null | undefined): string {
    const trimmed = (name ?? "").trim()
    if (trimmed.length < 1 || trimmed.length > NAME_MAX_LENGTH) {
      throw new BrandInputError(
        MedusaError.Types.INVALID_DATA,
        `Brand name must be 1 to ${NAME_MAX_LENGTH} characters long.`,
        "name"
      )
    }
    return trimmed
  }

  private checkFields(input: BrandInput): PreparedBrandInput {
    // PostgreSQL cannot store a NUL character: invalid input, not a failed insert.
    const unstorable = findUnstorableField(input)
    if (unstorable) {
      throw new BrandInputError(
        MedusaError.Types.INVALID_DATA,
        `Brand ${unstorable} cannot contain NUL characters (\\u0000).`,
        unstorable
      )
    }
    const { metadata } = input
    if (metadata != null && (typeof metadata !== "object" || Array.isArray(metadata))) {
      throw new BrandInputError(MedusaError.Types.INVALID_DATA, "Brand metadata must be an object or null.", "metadata")
    }
    const shape = metadata == null ? null : jsonShapeProblem(metadata, this.metadataLimits)
    if (shape) throw new BrandInputError(MedusaError.Types.INVALID_DATA, `Brand metadata ${shape}.`, "metadata")
    const out: PreparedBrandInput = {}
    if (input.description !== undefined) out.description = input.description
    if (metadata !== undefined) out.metadata = metadata
    if (input.handle !== undefined && input.handle !== null) {
      const handle = input.handle.trim()
      if (!isValidHandle(handle)) {
        throw new BrandInputError(
          MedusaError.Types.INVALID_DATA,
          "Brand handle must be lowercase letters, digits and single dashes, at most 200 characters.",
          "handle"
        )
      }
      out.handle = handle
    } else if (input.handle === null) {
      throw new BrandInputError(MedusaError.Types.INVALID_DATA, "Brand handle cannot be null.", "handle")
    }
    return out
  }

  /**
   * Fills in derived handles and rejects explicit ones that a live brand
   * (other than `exceptIds`) already uses. The unique index on live handles
   * stays the final guard against concurrent writers.
   */
  private async settleHandles(
    inputs: PreparedBrandInput[],
    exceptIds: string[],
    derive = true,
    spread = 1
  ) {
    const explicit = inputs.filter((i) => i.handle !== undefined).map((i) => i.handle!)
    const seen = new Set<string>()
    for (const handle of explicit) {
      if (seen.has(handle)) {
        throw new BrandInputError(
          MedusaError.Types.DUPLICATE_ERROR,
          `Brand handle "${handle}" is given twice.`,
          "handle"
        )
      }
      seen.add(handle)
    }
    if (explicit.length) {
      const clash = (await this.listBrands({ handle: explicit }, { select: ["id", "handle"] }))
        .filter((b) => !exceptIds.includes(b.id))
      if (clash.length) {
        throw new BrandInputError(
          MedusaError.Types.DUPLICATE_ERROR,
          `Brand handle "${clash[0].handle}" is already taken.`,
          "handle"
        )
      }
    }
    if (!derive) return

    for (const input of inputs) {
      if (input.handle !== undefined) continue
      const base = toHandle(input.name!)
      // Suffixed candidates of a long base are cut short to stay within the
      // length limit, so look for everything that shares the part they keep.
      const prefix = base.slice(0, HANDLE_MAX_LENGTH - SUFFIX_ROOM)
      const similar = await this.listBrands(
        { handle: { $like: `${prefix}%` } },
        { select: ["handle"] }
      )
      const taken = new Set([...seen, ...similar.map((b) => b.handle)])
      input.handle = firstFreeHandle(base, taken, spread)
      seen.add(input.handle)
    }
  }
}

export default BrandModuleService
