// OpenTelemetry traces. `medusa start` (and so `npm start`) calls register()
// before it loads the app; the exporter is chosen by OTEL_EXPORTER:
//   none (default)  no tracing at all;
//   console         each span printed to stdout as it ends (development);
//   otlp            batched to an OpenTelemetry collector over HTTP, at
//                   OTEL_EXPORTER_OTLP_ENDPOINT (default http://localhost:4318)
//                   or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT.
// A trace holds Medusa's HTTP span, the GraphQL operation
// (src/graphql/plugins/tracing.ts), its query.graph calls and their SQL.
import { registerOtel } from "@medusajs/medusa"
import { BatchSpanProcessor, ConsoleSpanExporter, SimpleSpanProcessor } from "@medusajs/framework/opentelemetry/sdk-trace-node"
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http"
import { observabilitySettings, otelServiceName } from "./src/lib/config"

export function register() {
  const { otel } = observabilitySettings()
  if (otel.exporter === "none") return
  const exporter = otel.exporter === "otlp" ? new OTLPTraceExporter() : new ConsoleSpanExporter()
  registerOtel({
    // Ours, or none when OTEL_SERVICE_NAME is set: the SDK then reads it. registerOtel
    // types the name as required, but hands it to NodeSDK, where undefined means "detect".
    serviceName: otelServiceName() as string,
    exporter,
    // Spans to a collector go in batches (OTEL_BSP_* tune them), not one request per span.
    spanProcessors: [otel.exporter === "otlp" ? new BatchSpanProcessor(exporter) : new SimpleSpanProcessor(exporter)],
    instrument: { http: true, query: true, workflows: true, db: true, cache: true },
  })
}
