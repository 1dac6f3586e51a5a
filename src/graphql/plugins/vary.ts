import type { Plugin } from "graphql-yoga"
import { VARY } from "../../cache/http-cache"

/**
 * Every answer names, in Vary, the request headers it depends on (see
 * VARY), so that a shared cache keys on them: Yoga names Origin only when
 * more than one origin is listed, and the playground page names its own.
 */
export function varyOnRequestHeaders(): Plugin {
  return {
    onResponse({ response }) {
      const named = new Set(
        (response.headers.get("vary") ?? "")
          .split(",")
          .map((h) => h.trim().toLowerCase())
          .filter(Boolean)
      )
      for (const header of VARY) if (!named.has(header.toLowerCase())) response.headers.append("vary", header)
    },
  }
}
