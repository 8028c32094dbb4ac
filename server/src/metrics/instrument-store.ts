import type { EventStore } from '@proofpane/core';
import type { Metrics } from './registry.js';

/**
 * Times every append of this process's store and counts what it appended. The store object is kept
 * (its class still answers `instanceof`); only its `append` is wrapped, once.
 */
export function instrumentAppends(options: {
  store: EventStore;
  metrics: Metrics;
  /** Called around each append: a tracer opens a span here. */
  around?: <T>(events: number, run: () => Promise<T>) => Promise<T>;
}): () => void {
  const { store, metrics } = options;
  const original = store.append;
  const wrapped: EventStore['append'] = (appendOptions) => {
    const started = performance.now();
    const run = () => original.call(store, appendOptions);
    const result = options.around ? options.around(appendOptions.events.length, run) : run();
    return result.then((appended) => {
      metrics.appendSeconds.observe((performance.now() - started) / 1000);
      metrics.appendSize.observe(appended.length);
      for (const event of appended) {
        metrics.appended.inc({ type: event.type });
        if (event.type === 'cp.gate.budget.reserved')
          metrics.budgetReservations.inc({
            kind: (event.data as { leaseId?: string }).leaseId ? 'lease' : 'exact',
          });
      }
      return appended;
    });
  };
  store.append = wrapped;
  return () => {
    if (store.append === wrapped) store.append = original;
  };
}
