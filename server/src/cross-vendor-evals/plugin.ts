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
    let schedules: ReturnType<typeof startSuiteSchedules> | undefined;
    if (config.workflowEngine.enabled)
      app.addHook('onReady', async () => {
        schedules = startSuiteSchedules({ db: database.db, runner, log: app.log });
      });
    app.addHook('preClose', async () => {
      schedules?.stop();
      await runner.stop();
    });
    await app.register(crossVendorRoutes({ runner }));
  },
  {
    name: 'proofpane-cross-vendor-evals',
    dependencies: ['proofpane-identity', 'proofpane-read-models', 'proofpane-gateway', 'proofpane-skills'],
  },
);
