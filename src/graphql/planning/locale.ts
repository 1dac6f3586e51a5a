import { getDirectiveValues, type GraphQLResolveInfo } from "graphql"
import { parseLocale } from "../../catalog/locale"
import { IN_CONTEXT } from "./pricing"

/**
 * The locale of the operation's @inContext(locale:), normalized as Medusa
 * normalizes its `locale` parameter; null without one. A tag that is not
 * BCP 47 fails with BAD_USER_INPUT (the catalog's input error). The answer
 * cache keys answers by document and variables, so answers in two locales,
 * as a literal or through a variable, never share a key.
 */
export function localeOf(info: GraphQLResolveInfo): string | null {
  const directive = info.schema.getDirective(IN_CONTEXT)
  if (!directive) return null
  const args = getDirectiveValues(directive, info.operation, info.variableValues) as { locale?: string | null } | undefined
  return args?.locale != null ? parseLocale(args.locale) : null
}
