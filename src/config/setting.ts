import { z } from "zod"

/** How docs/configuration.md shows one setting. */
export type SettingDoc = {
  /** Title of the table the setting is listed in (set by `settingGroup`). */
  group: string
  description: string
  /** The default as a reader should see it. */
  default: string
  /** What the variable accepts. */
  accepts: string
}

/** The documentation of every setting's schema, read by the docs generator. */
export const settingDocs = z.registry<SettingDoc>()

/** A group of settings: its title, and a sentence on what they share. */
export type SettingGroup = { title: string; intro: string }

/** Every group, in the order docs/configuration.md lists them. */
export const settingGroups: SettingGroup[] = []

/** What each setting kind takes: its description, and overrides of what the docs show. */
type Describe = { description: string; defaultText?: string; accepts?: string }

/** The environment hands over text or nothing. */
const envValue = z.string().optional()

const unset = (raw: string | undefined): raw is undefined => raw === undefined || raw.trim() === ""

function document<S extends z.ZodType>(schema: S, doc: Describe, fallback: { default: string; accepts: string }): S {
  settingDocs.add(schema, {
    group: "",
    description: doc.description,
    default: doc.defaultText ?? fallback.default,
    accepts: doc.accepts ?? fallback.accepts,
  })
  return schema
}

function invalid(ctx: z.RefinementCtx, raw: string, expected: string): never {
  ctx.issues.push({ code: "custom", message: `must be ${expected}; got "${raw}".`, input: raw })
  return z.NEVER
}

/**
 * A positive whole number, or `default` when unset. Anything else stops the
 * process: a mistyped limit must not quietly turn it off.
 */
export function positiveInt(doc: Describe & { default: number }) {
  const schema = envValue.transform((raw, ctx): number => {
    if (unset(raw)) return doc.default
    const value = Number(raw)
    return Number.isSafeInteger(value) && value > 0 ? value : invalid(ctx, raw, "a positive whole number")
  })
  return document(schema, doc, { default: `\`${doc.default}\``, accepts: "whole number ≥ 1" })
}

/** A whole number ≥ 0 (0 usually turns the setting off), or `default` when unset. */
export function nonNegativeInt(doc: Describe & { default: number }) {
  const schema = envValue.transform((raw, ctx): number => {
    if (unset(raw)) return doc.default
    const value = Number(raw)
    return Number.isSafeInteger(value) && value >= 0 ? value : invalid(ctx, raw, "a whole number (0 or more)")
  })
  return document(schema, doc, { default: `\`${doc.default}\``, accepts: "whole number ≥ 0" })
}

const ON = /^(1|true|yes|on)$/i
const FLAG_ACCEPTS = "on: `true`, `1`, `yes`, `on` (any case); off: anything else"

/** On or off: `1`, `true`, `yes` or `on` (any case) turn it on, anything else off; `default` when unset or empty. */
export function flag(doc: Describe & { default: boolean }) {
  const schema = envValue.transform((raw): boolean => (raw === undefined || raw === "" ? doc.default : ON.test(raw)))
  return document(schema, doc, { default: doc.default ? "on" : "off", accepts: FLAG_ACCEPTS })
}

/** As `flag`, but unset (undefined) when not given, for a default that depends on other settings. */
export function optionalFlag(doc: Describe & { defaultText: string }) {
  const schema = envValue.transform((raw): boolean | undefined => (raw === undefined || raw === "" ? undefined : ON.test(raw)))
  return document(schema, doc, { default: doc.defaultText, accepts: FLAG_ACCEPTS })
}

/** Text, or `default` when unset or empty. */
export function text(doc: Describe & { default: string }) {
  const schema = envValue.transform((raw): string => raw || doc.default)
  return document(schema, doc, { default: `\`${doc.default}\``, accepts: "text" })
}

/** Text, or undefined when unset or empty (the default is decided elsewhere). */
export function optionalText(doc: Describe) {
  const schema = envValue.transform((raw): string | undefined => raw || undefined)
  return document(schema, doc, { default: "unset", accepts: "text" })
}

/**
 * A comma-separated list, or undefined when unset. Set but empty, it is an
 * empty list: unlike the other settings, an empty value means "none".
 */
export function optionalList(doc: Describe & { defaultText: string }) {
  const schema = envValue.transform((raw): string[] | undefined =>
    raw === undefined
      ? undefined
      : raw
          .split(",")
          .map((item) => item.trim())
          .filter(Boolean)
  )
  return document(schema, doc, { default: doc.defaultText, accepts: "comma-separated list (empty: none)" })
}

/** One of `values` (trimmed, any case), or `default` when unset or empty. */
export function oneOf<const V extends readonly [string, ...string[]]>(values: V, doc: Describe & { default: V[number] }) {
  const schema = envValue.transform((raw, ctx): V[number] => {
    const value = (raw || doc.default).trim().toLowerCase()
    return values.includes(value) ? (value as V[number]) : invalid(ctx, raw ?? "", `one of ${values.join(", ")}`)
  })
  return document(schema, doc, { default: `\`${doc.default}\``, accepts: values.map((v) => `\`${v}\``).join(", ") })
}

/**
 * Settings that belong together, listed under `title` in the docs. Deleting a
 * setting is deleting its entry here (and what reads it).
 */
export function settingGroup<S extends Record<string, z.ZodType>>(title: string, intro: string, settings: S): S {
  settingGroups.push({ title, intro })
  for (const schema of Object.values(settings)) {
    const doc = settingDocs.get(schema)
    if (doc) settingDocs.add(schema, { ...doc, group: title })
  }
  return settings
}
