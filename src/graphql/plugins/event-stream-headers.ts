import type { Plugin } from "graphql-yoga"

/**
 * A subscription's stream must reach the client event by event: proxies
 * that buffer responses (nginx by default) are told not to.
 */
export function eventStreamHeaders(): Plugin {
  return {
    onResponse({ response }) {
      if (response.headers.get("content-type")?.startsWith("text/event-stream")) response.headers.set("x-accel-buffering", "no")
    },
  }
}
