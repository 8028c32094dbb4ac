import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { createApprovers } from './approvers.js';
import { startHitlFeed } from './feed.js';
import { hitlRoutes } from './routes.js';
import { createHitlService, type HitlService } from './service.js';
import { migrateHitl } from './tables.js';

const SWEEP_MS = 5_000;

/** Human approvals: the queue, decisions, precedents, the SSE feed, desktop approvers, timeouts. */
export const hitlPlugin: FastifyPluginAsync = fp(
  async (app) => {
    const { runtime } = app;
    const db = runtime.database.db;
    await migrateHitl(db);
    const now = () => new Date();
    const service = createHitlService({ db, store: runtime.store, now });
    const feed = await startHitlFeed({
      store: runtime.store,
      service,
      onError: (err) => app.log.warn({ err }, 'HITL feed error'),
    });
    const approvers = createApprovers({ db, store: runtime.store, now });
    app.decorate('hitl', service);
    app.loops.register({
      name: 'hitl-expiries',
      duty: 'worker',
      scope: 'once',
      start: () => {
        const sweeper = setInterval(() => {
          service.expireDue().catch((err: unknown) => app.log.warn({ err }, 'HITL timeout sweep failed'));
        }, SWEEP_MS);
        sweeper.unref();
        return { stop: () => clearInterval(sweeper) };
      },
    });
    app.addHook('onClose', async () => {
      await feed.stop();
    });
    await app.register(hitlRoutes({ service, feed, approvers, pairRateLimit: runtime.config.authRateLimit }));
  },
  { name: 'proofpane-hitl', dependencies: ['proofpane-identity'] },
);

declare module 'fastify' {
  interface FastifyInstance {
    hitl: HitlService;
  }
}
