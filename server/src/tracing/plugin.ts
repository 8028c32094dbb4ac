import type { FastifyPluginCallback, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { scopeOf } from '../gateway/call-scope.js';
import { createTracer, type RequestTrace } from './tracer.js';

/** The gates in the order a governed call passes them; their timings become consecutive spans. */
const GATES = [
  ['policy', 'gate.policy'],
  ['budget', 'gate.budget'],
  ['provider', 'provider.call'],
  ['audit', 'gate.audit'],
] as const;

/**
 * Traces, when `OTEL_EXPORTER_OTLP_ENDPOINT` is set: a span per request (route pattern, status, the
 * request id), one per gate and provider call of a governed call, and one per event-store append. The
 * request id is the gateway's own (`x-request-id` on the answer) where there is one.
 */
export const tracingPlugin: FastifyPluginCallback = fp(
  (app, _options, done) => {
    const endpoint = app.runtime.config.otlpEndpoint;
    if (!endpoint) return done();
    const tracer = createTracer({ endpoint, serviceName: 'proofpane', role: app.runtime.config.role });
    const traces = new WeakMap<object, RequestTrace>();
    app.decorate('tracing', {
      aroundAppend: <T>(events: number, run: () => Promise<T>) => {
        const trace = tracer.current.getStore();
        const scope = trace?.request ? scopeOf(trace.request as FastifyRequest) : undefined;
        if (trace && scope) trace.requestId = scope.requestId;
        return tracer.inSpan('event-store.append', { 'proofpane.events': events }, run);
      },
    });
    // A callback hook, so the handler runs inside `run` and appends it makes find their request.
    app.addHook('onRequest', (request, _reply, next) => {
      const route = request.routeOptions.url ?? 'unmatched';
      const span = tracer.startRequestSpan(`${request.method} ${route}`, String(request.id), {
        'http.request.method': request.method,
        'http.route': route,
      });
      const trace: RequestTrace = { span, requestId: String(request.id), request };
      traces.set(request, trace);
      tracer.current.run(trace, next);
    });
    app.addHook('onResponse', async (request, reply) => {
      const trace = traces.get(request);
      if (!trace) return;
      const scope = scopeOf(request);
      if (scope) {
        // The governed call's own id names its events (`call/<id>`): the spans carry that one.
        trace.requestId = scope.requestId;
        trace.span.setAttribute('proofpane.request_id', scope.requestId);
        let at = Date.now() - (performance.now() - scope.startedAt);
        for (const [gate, name] of GATES) {
          const ms = scope.timings[gate];
          if (ms === undefined) continue;
          tracer.recordSpan(name, trace, at, at + ms, { 'proofpane.gate': gate });
          at += ms;
        }
      }
      trace.span.setAttribute('http.response.status_code', reply.statusCode);
      trace.span.end();
    });
    app.addHook('onClose', async () => {
      await tracer.shutdown();
    });
    done();
  },
  { name: 'proofpane-tracing' },
);

declare module 'fastify' {
  interface FastifyInstance {
    tracing: { aroundAppend<T>(events: number, run: () => Promise<T>): Promise<T> };
  }
}
