/**
 * Input the catalog cannot read with: a malformed or foreign cursor, a page
 * size out of range, a filter it refuses. The caller's fault, never a failed
 * statement; the API layer answers it as bad input.
 */
export class CatalogInputError extends Error {
  constructor(
    message: string,
    /** The argument at fault, as the caller named it (e.g. "after", "filter.id.in"). */
    readonly argument?: string
  ) {
    super(message)
    this.name = "CatalogInputError"
  }
}

/** A caller with no right to read the catalog: no publishable API key, or one that is unknown or revoked. */
export class CatalogAccessError extends Error {
  constructor(readonly code: "PUBLISHABLE_KEY_REQUIRED" | "PUBLISHABLE_KEY_INVALID") {
    super(
      code === "PUBLISHABLE_KEY_REQUIRED"
        ? "A publishable API key is required: send it in the x-publishable-api-key header."
        : "The publishable API key is unknown, revoked, or linked to no sales channel."
    )
    this.name = "CatalogAccessError"
  }
}
