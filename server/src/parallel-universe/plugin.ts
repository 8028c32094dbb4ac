import { loadPuSettings } from '@proofpane/commands';
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { puRoutes } from './routes.js';
import { createPuService, type PuService } from './service.js';

/** How often the loop looks for orgs whose interval passed. */
const LOOK_EVERY_MS = 60_000;

/**
 * Parallel Universe (docs/parallel-universe.md): items, promotion and settings over HTTP, and the fetch
 * loop, registered for worker processes under one lease (`scope: 'once'`): each org whose loop is on is
 * passed once its interval has gone by.
 */
export const parallelUniversePlugin: FastifyPluginAsync = fp(
  async (app) => {
    const { store, database, config } = app.runtime;
    const service = createPuService({
      db: database.db,
      store,
      gateway: app.gateway.gateway,
      hitl: app.hitl,
      coder: app.coder.service,
      ...config.parallelUniverse,
      onError: (err) => app.log.warn({ err }, 'parallel universe'),
    });
    const lastPass = new Map<string, number>();
    app.loops.register({
      name: 'parallel-universe',
      duty: 'worker',
      scope: 'once',
      start: () => {
        let running: Promise<unknown> | undefined;
        const tick = async () => {
          for (const org of await store.orgs()) {
            const settings = await loadPuSettings({ store, org });
            const due = (lastPass.get(org) ?? 0) + settings.intervalMinutes * 60_000;
            if (!settings.enabled || Date.now() < due) continue;
            lastPass.set(org, Date.now());
            await service
              .pass({ org, now: new Date() })
              .catch((err) => app.log.warn({ err, org }, 'parallel universe pass'));
          }
        };
        const timer = setInterval(() => {
          running ??= tick()
            .catch((err) => app.log.warn({ err }, 'parallel universe loop'))
            .finally(() => {
              running = undefined;
            });
        }, LOOK_EVERY_MS);
        timer.unref();
        return {
          stop: async () => {
            clearInterval(timer);
            await running;
          },
        };
      },
    });
    app.decorate('parallelUniverse', { service });
    await app.register(puRoutes({ service }));
  },
  {
    name: 'proofpane-parallel-universe',
    dependencies: [
      'proofpane-identity',
      'proofpane-hitl',
      'proofpane-gateway',
      'proofpane-evolution',
      'proofpane-coder',
    ],
  },
);

declare module 'fastify' {
  interface FastifyInstance {
    parallelUniverse: { service: PuService };
  }
}
