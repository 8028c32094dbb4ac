import { AsyncLocalStorage } from 'node:async_hooks';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { api, resources, tracing } from '@opentelemetry/sdk-node';

/** What a span may carry: ids and sizes, never a body, a prompt, a key or a token. */
export type SafeAttributes = Record<string, string | number | boolean>;

export interface RequestTrace {
  span: api.Span;
  requestId: string;
  /** The HTTP request, for the plugin to find the governed call's own id once it has one. */
  request?: object;
}

/**
 * OpenTelemetry traces over OTLP HTTP (docs/operations.md), one provider per app rather than the global
 * one, so it shuts down with the app. No auto-instrumentation: the spans are the ones written here, so
 * nothing records a header or a body by accident.
 */
export function createTracer(options: { endpoint: string; serviceName: string; role: string }) {
  const base = options.endpoint.replace(/\/+$/, '');
  const exporter = new OTLPTraceExporter({ url: base.endsWith('/v1/traces') ? base : `${base}/v1/traces` });
  const provider = new tracing.BasicTracerProvider({
    resource: resources.resourceFromAttributes({
      'service.name': options.serviceName,
      'proofpane.role': options.role,
    }),
    spanProcessors: [new tracing.BatchSpanProcessor(exporter, { scheduledDelayMillis: 500 })],
  });
  const tracer = provider.getTracer('proofpane');
  const current = new AsyncLocalStorage<RequestTrace>();

  const childOf = (parent: api.Span | undefined) =>
    parent ? api.trace.setSpan(api.ROOT_CONTEXT, parent) : api.ROOT_CONTEXT;

  return {
    current,
    startRequestSpan(name: string, requestId: string, attributes: SafeAttributes): api.Span {
      return tracer.startSpan(
        name,
        { kind: api.SpanKind.SERVER, attributes: { 'proofpane.request_id': requestId, ...attributes } },
        api.ROOT_CONTEXT,
      );
    },
    /** A finished span recorded after the fact (the gate timings are known once the call is done). */
    recordSpan(
      name: string,
      parent: RequestTrace,
      startMs: number,
      endMs: number,
      attributes: SafeAttributes,
    ) {
      const span = tracer.startSpan(
        name,
        { startTime: startMs, attributes: { 'proofpane.request_id': parent.requestId, ...attributes } },
        childOf(parent.span),
      );
      span.end(endMs);
    },
    /** Runs an append inside a span, a child of the request that caused it when there is one. */
    async inSpan<T>(name: string, attributes: SafeAttributes, run: () => Promise<T>): Promise<T> {
      const parent = current.getStore();
      const span = tracer.startSpan(
        name,
        { attributes: { ...(parent ? { 'proofpane.request_id': parent.requestId } : {}), ...attributes } },
        childOf(parent?.span),
      );
      try {
        return await run();
      } catch (error) {
        // The error's class only: messages may quote what the caller sent.
        span.setStatus({
          code: api.SpanStatusCode.ERROR,
          message: error instanceof Error ? error.name : 'error',
        });
        throw error;
      } finally {
        span.end();
      }
    },
    shutdown: () => provider.shutdown(),
  };
}

export type Tracer = ReturnType<typeof createTracer>;
