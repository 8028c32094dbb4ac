import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { capsuleRoutes } from './capsule-routes.js';
import { type DreamPassResult, dreamPass, startDreamLoop } from './dreaming.js';
import { geneRoutes } from './gene-routes.js';
import { evolutionSettingsRoutes } from './settings-routes.js';

/** How often the loop looks for orgs whose dream interval passed or whose genes went stale. */
const LOOK_EVERY_MS = 60_000;

/**
 * Self-evolution (docs/evolution.md): genes, capsules, replays, settings and dreams over HTTP, and the
 * dream loop, run by the processes that run the background loops (`PROOFPANE_WORKFLOW_ENGINE`) under
 * each org's dream lease. `app.evolution.dreamPass` runs one pass, for specs and the CLI.
 */
export const evolutionPlugin: FastifyPluginAsync = fp(
  async (app) => {
    const { store, database, config } = app.runtime;
    const deps = { store, db: database.db, gateway: app.gateway.gateway };
    const pass = (org: string, now: Date, force = false, skill?: string) =>
      dreamPass(deps, { org, now, force, skill });
    let loop: ReturnType<typeof startDreamLoop> | undefined;
    if (config.workflowEngine.enabled)
      app.addHook('onReady', async () => {
        loop = startDreamLoop({
          ...deps,
          intervalMs: LOOK_EVERY_MS,
          onError: (err, where) => app.log.warn({ err, ...where }, 'evolution dream'),
        });
      });
    app.addHook('preClose', async () => {
      await loop?.stop();
    });
    app.decorate('evolution', { dreamPass: pass });
    await app.register(geneRoutes({ gateway: app.gateway.gateway }));
    await app.register(capsuleRoutes());
    await app.register(evolutionSettingsRoutes({ dreamNow: (org) => pass(org, new Date(), true) }));
  },
  {
    name: 'proofpane-evolution',
    dependencies: ['proofpane-identity', 'proofpane-read-models', 'proofpane-gateway'],
  },
);

declare module 'fastify' {
  interface FastifyInstance {
    evolution: {
      dreamPass(org: string, now: Date, force?: boolean, skill?: string): Promise<DreamPassResult>;
    };
  }
}
