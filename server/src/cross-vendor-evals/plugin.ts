import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { crossVendorRoutes } from './routes.js';
import { crossVendorRunner } from './runner.js';
import { startSuiteSchedules } from './schedules.js';

/**
 * Cross-vendor evaluation: suites and runs over HTTP, runs driven in this process through the app's
 * governed gateway and skill runner, and scheduled suites started on their cron ticks by the processes
 * that run the workflow engine's background loops.
 */
export const crossVendorEvalsPlugin: FastifyPluginAsync = fp(
  async (app) => {
    const { store, database, config } = app.runtime;
    const runner = crossVendorRunner({
      deps: {
        store,
        gateway: app.gateway.gateway,
        runSkill: app.skills.run,
      },
      log: app.log,
    });
    if (config.workflowEngine.enabled)
      app.loops.register({
        name: 'cross-vendor-schedules',
        duty: 'worker',
        scope: 'once',
        start: () => startSuiteSchedules({ db: database.db, runner, log: app.log }),
      });
    app.addHook('preClose', async () => {
      await runner.stop();
    });
    await app.register(crossVendorRoutes({ runner }));
  },
  {
    name: 'proofpane-cross-vendor-evals',
    dependencies: ['proofpane-identity', 'proofpane-read-models', 'proofpane-gateway', 'proofpane-skills'],
  },
);
