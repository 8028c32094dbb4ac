import { timingSafeEqual } from 'node:crypto';
import { defaultProjections, projectionStatus } from '@proofpane/projections';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { scopeOf } from '../gateway/call-scope.js';
import { apiError } from '../http/errors.js';
import { instrumentAppends } from './instrument-store.js';
import { createMetrics, type Metrics } from './registry.js';

const GATES = ['policy', 'budget', 'provider', 'audit'] as const;

function tokenMatches(request: FastifyRequest, expected: string | undefined): boolean {
  if (!expected) return false;
  const header = request.headers.authorization;
  if (typeof header !== 'string' || !header.startsWith('Bearer ')) return false;
  const given = Buffer.from(header.slice('Bearer '.length));
  const wanted = Buffer.from(expected);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

/**
 * `GET /metrics` in Prometheus text format, for the bearer token `PROOFPANE_METRICS_TOKEN` only
 * (without one configured the route refuses every request). The four golden signals per route,
 * per-gate latency, appends, projection lag, budget reservations, SSE and device connections,
 * loop leases, and prom-client's process metrics (event-loop lag, memory).
 */
export const metricsPlugin: FastifyPluginAsync = fp(
  async (app) => {
    const metrics = createMetrics();
    app.decorate('metrics', metrics);
    const { database, store, config } = app.runtime;
    const restore = instrumentAppends({
      store,
      metrics,
      ...(app.hasDecorator('tracing') ? { around: app.tracing.aroundAppend } : {}),
    });

    app.addHook('onRequest', async (request) => {
      // Streams are hijacked and never reach onResponse: they are counted while their socket is open.
      if (!request.routeOptions.url?.endsWith('/stream')) return;
      metrics.sseConnections.inc();
      request.raw.once('close', () => metrics.sseConnections.dec());
    });
    app.addHook('onResponse', async (request, reply) => {
      const route = request.routeOptions.url ?? 'unmatched';
      if (route === '/metrics') return;
      const status = reply.statusCode;
      metrics.requests.inc({ method: request.method, route, status: String(status) });
      metrics.requestSeconds.observe(
        { method: request.method, route, status_class: `${Math.floor(status / 100)}xx` },
        reply.elapsedTime / 1000,
      );
      const timings = scopeOf(request)?.timings;
      if (timings)
        for (const gate of GATES) {
          const ms = timings[gate];
          if (ms !== undefined) metrics.gateSeconds.observe({ gate }, ms / 1000);
        }
    });

    const sample = async () => {
      if (app.hasDecorator('devices')) metrics.deviceConnections.set(app.devices.hub.local().length);
      for (const loop of app.loops.states())
        metrics.loopRunning.set({ loop: loop.name, scope: loop.scope }, loop.state === 'running' ? 1 : 0);
      try {
        for (const s of await projectionStatus({
          db: database.db,
          projections: defaultProjections,
          failureLimit: 0,
        }))
          metrics.projectionLag.set({ projection: s.name }, s.lag);
      } catch (err) {
        // Before the first projector migrated its tables there is no lag to report.
        app.log.debug({ err }, 'projection lag not sampled');
      }
    };

    app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
      if (!tokenMatches(request, config.metricsToken))
        throw apiError(
          'unauthenticated',
          config.metricsToken
            ? 'GET /metrics needs Authorization: Bearer <PROOFPANE_METRICS_TOKEN>'
            : 'metrics are off: set PROOFPANE_METRICS_TOKEN and scrape with it as a bearer token',
        );
      await sample();
      reply.header('content-type', metrics.registry.contentType);
      return metrics.registry.metrics();
    });
    app.addHook('onClose', async () => {
      restore();
    });
  },
  { name: 'proofpane-metrics', dependencies: ['proofpane-scale-out'] },
);

declare module 'fastify' {
  interface FastifyInstance {
    metrics: Metrics;
  }
}
