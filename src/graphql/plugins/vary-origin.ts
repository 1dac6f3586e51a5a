import type { Plugin } from "graphql-yoga"

/**
 * Every answer depends on the request's Origin (CORS headers for listed
 * origins, none for others), so shared caches must key on it. Yoga says so
 * only when more than one origin is listed.
 */
export function varyOnOrigin(): Plugin {
  return {
    onResponse({ response }) {
      const vary = response.headers.get("vary") ?? ""
      if (!/(^|,)\s*origin\s*(,|$)/i.test(vary)) response.headers.append("vary", "Origin")
    },
  }
}
