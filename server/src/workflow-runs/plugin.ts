import { createKeptOutputs, loadMasterKey, migrateWorkflowKeptOutputs } from '@proofpane/commands';
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { hitlApprovals } from './approvals.js';
import { createWorkflowEngine } from './engine.js';
import { evalRoutes } from './eval-routes.js';
import { hookRoutes } from './hook-routes.js';
import { migrateWorkflowHooks } from './hook-table.js';
import { keptOutputRoutes } from './kept-output-routes.js';
import { workflowRunRoutes } from './routes.js';
import { startTriggers } from './triggers.js';

/**
 * Workflow runs: the run and webhook routes, this process's run engine and its schedule and event
 * triggers, started once the read models run (the engine finds runs through them) and stopped before the
 * store closes, handing their runs back to other workers.
 */
export const workflowRunsPlugin: FastifyPluginAsync = fp(
  async (app) => {
    const { database: db0, config: config0 } = app.runtime;
    await migrateWorkflowKeptOutputs(db0.db);
    const kept = createKeptOutputs({ db: db0.db, retentionDays: config0.workflowEngine.keptOutputDays });
    app.decorate('workflowKeptOutputs', kept);
    const engine = createWorkflowEngine({
      runtime: app.runtime,
      workflows: app.workflows,
      runSkill: app.skills.run,
      multiAgent: app.multiAgent,
      policies: app.gateway.policies,
      approvals: hitlApprovals(app.hitl),
      kept,
      integrations: () => (app.hasDecorator('integrations') ? app.integrations : undefined),
      log: app.log,
    });
    app.decorate('workflowEngine', engine);
    const { config, database, store } = app.runtime;
    await migrateWorkflowHooks(database.db);
    // Every worker runs an engine: runs are shared out by their own lease events (decision 0019), and
    // triggers start runs under ids derived from their cause, so each starts once.
    if (config.workflowEngine.enabled)
      app.loops.register({
        name: 'workflow-engine',
        duty: 'worker',
        scope: 'each',
        start: () => {
          engine.start();
          const triggers = startTriggers({ db: database.db, store, engine, log: app.log });
          return {
            stop: async () => {
              await triggers.stop();
              await engine.stop();
            },
          };
        },
      });
    await app.register(workflowRunRoutes({ workflows: app.workflows, engine }));
    await app.register(keptOutputRoutes({ kept, store }));
    // Kept outputs past their retention are never read; this deletes them, hourly, once per deployment.
    app.loops.register({
      name: 'workflow-kept-outputs',
      duty: 'worker',
      scope: 'once',
      start: () => {
        let pass: Promise<unknown> = Promise.resolve();
        const timer = setInterval(() => {
          pass = kept
            .purgeExpired()
            .catch((err: unknown) => app.log.warn({ err }, 'kept outputs purge failed'));
        }, 3_600_000);
        timer.unref();
        return {
          stop: async () => {
            clearInterval(timer);
            await pass;
          },
        };
      },
    });
    await app.register(evalRoutes({ workflows: app.workflows, engine }));
    await app.register(
      hookRoutes({
        db: database.db,
        workflows: app.workflows,
        engine,
        masterKey: loadMasterKey({ envValue: config.masterKey, dataDir: config.dataDir }),
        publicUrl: config.publicUrl,
      }),
    );
  },
  {
    name: 'proofpane-workflow-runs',
    dependencies: [
      'proofpane-identity',
      'proofpane-read-models',
      'proofpane-hitl',
      'proofpane-gateway',
      'proofpane-skills',
      'proofpane-multi-agent',
      'proofpane-workflows',
    ],
  },
);

declare module 'fastify' {
  interface FastifyInstance {
    workflowEngine: import('@proofpane/commands').WorkflowEngine;
    workflowKeptOutputs: import('@proofpane/commands').KeptOutputs;
  }
}
