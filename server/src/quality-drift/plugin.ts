import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { evaluateDriftOnce, startDriftLoop } from './evaluator.js';
import { qualityDriftRoutes } from './routes.js';

/** How often the drift of every monitored skill is evaluated. */
const EVALUATE_EVERY_MS = 60_000;

/**
 * L5, drift of skills' quality signals (docs/quality-drift.md): the alert and summary routes, and the
 * evaluation loop, run by the processes that run the background loops (`PROOFPANE_WORKFLOW_ENGINE`).
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
    let loop: ReturnType<typeof startDriftLoop> | undefined;
    if (config.workflowEngine.enabled)
      app.addHook('onReady', async () => {
        loop = startDriftLoop({
          db: database.db,
          store,
          intervalMs: EVALUATE_EVERY_MS,
          onError: (err, where) => app.log.warn({ err, ...where }, 'quality drift evaluation'),
        });
      });
    app.addHook('preClose', async () => {
      await loop?.stop();
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
