import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The process's Prometheus metrics (docs/operations.md lists them). One registry per app, so specs
 * that build several apps in one process do not share counters. Labels never carry an org, a key or
 * a body: routes are the route pattern, not the URL.
 */
export function createMetrics() {
  const registry = new Registry();
  // Event-loop lag, heap and RSS, GC, handles: prom-client's defaults, prefixed like the rest.
  collectDefaultMetrics({ register: registry, prefix: 'proofpane_' });
  const seconds = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
  return {
    registry,
    requests: new Counter({
      name: 'proofpane_http_requests_total',
      help: 'HTTP requests answered, by method, route pattern and status code',
      labelNames: ['method', 'route', 'status'] as const,
      registers: [registry],
    }),
    requestSeconds: new Histogram({
      name: 'proofpane_http_request_duration_seconds',
      help: 'Time to answer an HTTP request, by method, route pattern and status class',
      labelNames: ['method', 'route', 'status_class'] as const,
      buckets: seconds,
      registers: [registry],
    }),
    gateSeconds: new Histogram({
      name: 'proofpane_gate_duration_seconds',
      help: 'Time a governed call spent in each gate (policy, budget, provider, audit)',
      labelNames: ['gate'] as const,
      buckets: seconds,
      registers: [registry],
    }),
    appendSeconds: new Histogram({
      name: 'proofpane_event_append_duration_seconds',
      help: 'Time from an append being asked to its commit (group commit included)',
      buckets: seconds,
      registers: [registry],
    }),
    appendSize: new Histogram({
      name: 'proofpane_event_append_events',
      help: 'Events per append',
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024],
      registers: [registry],
    }),
    appended: new Counter({
      name: 'proofpane_events_appended_total',
      help: 'Events this process appended, by type (cp.gate.budget.reserved counts budget reservations)',
      labelNames: ['type'] as const,
      registers: [registry],
    }),
    budgetReservations: new Counter({
      name: 'proofpane_budget_reservations_total',
      help: 'Budget reservations, by how they were served: lease (from memory) or exact (in the ledger)',
      labelNames: ['kind'] as const,
      registers: [registry],
    }),
    sseConnections: new Gauge({
      name: 'proofpane_sse_connections',
      help: 'Server-Sent Events streams open on this process',
      registers: [registry],
    }),
    deviceConnections: new Gauge({
      name: 'proofpane_device_connections',
      help: 'Paired devices connected to this process over WebSocket',
      registers: [registry],
    }),
    projectionLag: new Gauge({
      name: 'proofpane_projection_lag_events',
      help: 'Events committed that each projection has not applied yet',
      labelNames: ['projection'] as const,
      registers: [registry],
    }),
    loopRunning: new Gauge({
      name: 'proofpane_loop_running',
      help: '1 when this process runs the background loop (it holds the lease of a once-per-deployment loop)',
      labelNames: ['loop', 'scope'] as const,
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
