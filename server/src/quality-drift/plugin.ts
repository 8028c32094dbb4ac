import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { evaluateDriftOnce, startDriftLoop } from './evaluator.js';
import { qualityDriftRoutes } from './routes.js';

/** How often the drift of every monitored skill is evaluated. */
const EVALUATE_EVERY_MS = 60_000;

/**
 * L5, drift of skills' quality signals (docs/quality-drift.md): the alert and summary routes, and the
 * evaluation loop, run by one worker process of the deployment (`PROOFPANE_WORKFLOW_ENGINE`, a `once` loop).
 * `app.qualityDrift.evaluate(at)` runs one pass, for the CLI and specs.
 */
export const qualityDriftPlugin: FastifyPluginAsync = fp(
  async (app) => {
    const { store, database, config } = app.runtime;
    const evaluate = (at: Date = new Date()) =>
      evaluateDriftOnce({
        db: database.db,
        store,
        at,
        onError: (err, where) => app.log.warn({ err, ...where }, 'quality drift evaluation'),
      });
    // One process of the deployment evaluates (the registry's lease), so passes never overlap across processes.
    if (config.workflowEngine.enabled)
      app.loops.register({
        name: 'quality-drift',
        duty: 'worker',
        scope: 'once',
        start: () =>
          startDriftLoop({
            db: database.db,
            store,
            intervalMs: EVALUATE_EVERY_MS,
            onError: (err, where) => app.log.warn({ err, ...where }, 'quality drift evaluation'),
          }),
      });
    app.decorate('qualityDrift', { evaluate });
    await app.register(qualityDriftRoutes({ now: () => new Date() }));
  },
  { name: 'proofpane-quality-drift', dependencies: ['proofpane-identity', 'proofpane-read-models'] },
);

declare module 'fastify' {
  interface FastifyInstance {
    qualityDrift: { evaluate(at?: Date): Promise<number> };
  }
}
