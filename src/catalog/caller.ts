/**
 * Who reads the catalog, as Medusa's own routes tell them apart:
 * - an admin (user session, bearer token or secret API key) sees everything;
 * - a storefront (a valid publishable API key) sees published products in the
 *   sales channels of its key; `salesChannelIds` is null when the store has at
 *   most one sales channel, where Medusa's store routes drop the channel filter;
 *   `keyChannelIds` are the key's channels all the same: stock is counted in
 *   their stock locations, as Medusa's store routes count it;
 * - anyone else reads nothing, for the reason given.
 */
export type Caller =
  | { kind: "admin" }
  | { kind: "storefront"; salesChannelIds: string[] | null; keyChannelIds: string[] }
  | { kind: "none"; reason: "PUBLISHABLE_KEY_REQUIRED" | "PUBLISHABLE_KEY_INVALID" }

export const ADMIN: Caller = { kind: "admin" }
