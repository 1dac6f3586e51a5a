import { SpanStatusCode, trace } from "@medusajs/framework/opentelemetry/api"
import { Tracer } from "@medusajs/framework/telemetry"
import { getOperationAST } from "graphql"
import type { Plugin } from "graphql-yoga"

/**
 * One OpenTelemetry span per GraphQL operation, inside the HTTP span of
 * Medusa's instrumentation and around everything the operation does, so that
 * its `query.graph` calls and their SQL (Medusa's Query and pg
 * instrumentation) are its children. Named as OpenTelemetry's conventions
 * say ("query Storefront"), with the operation's name and type and, when it
 * failed, its error codes. Written with Medusa's own Tracer rather than
 * @envelop/opentelemetry, which brings a second OpenTelemetry SDK (1.x)
 * beside Medusa's (2.x).
 */
export function graphqlTracing(): Plugin {
  const tracer = new Tracer("brand-graph/graphql", "1.0.0")
  return {
    instrumentation: {
      operation: (_payload, wrapped) =>
        tracer.trace("graphql.operation", async (span) => {
          try {
            await wrapped()
          } finally {
            span.end()
          }
        }),
    },
    onExecute({ args }) {
      const span = trace.getActiveSpan()
      if (!span) return
      const operation = getOperationAST(args.document, args.operationName)
      const type = operation?.operation ?? "query"
      const name = operation?.name?.value
      span.updateName(name ? `${type} ${name}` : type)
      span.setAttributes({ "graphql.operation.type": type, ...(name ? { "graphql.operation.name": name } : {}) })
    },
    // The result as the client gets it (errors masked), whichever phase failed.
    onExecutionResult({ result }) {
      const span = trace.getActiveSpan()
      const errors = (Array.isArray(result) ? result : [result]).flatMap(
        (r) => ((r as { errors?: readonly { extensions?: { code?: unknown } }[] })?.errors ?? [])
      )
      if (!span || !errors.length) return
      const codes = [...new Set(errors.map((e) => String(e.extensions?.code ?? "INTERNAL_SERVER_ERROR")))]
      span.setAttribute("graphql.error.codes", codes)
      span.setStatus({ code: SpanStatusCode.ERROR, message: codes.join(", ") })
    },
  }
}
