import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { hitlApprovals } from './approvals.js';
import { createWorkflowEngine } from './engine.js';
import { workflowRunRoutes } from './routes.js';

/**
 * Workflow runs: the run routes and this process's run engine, started once the read models run (it finds
 * runs through them) and stopped before the store closes, handing its runs back to other workers.
 */
export const workflowRunsPlugin: FastifyPluginAsync = fp(
  async (app) => {
    const engine = createWorkflowEngine({
      runtime: app.runtime,
      workflows: app.workflows,
      runSkill: app.skills.run,
      policies: app.gateway.policies,
      approvals: hitlApprovals(app.hitl),
      log: app.log,
    });
    app.decorate('workflowEngine', engine);
    if (app.runtime.config.workflowEngine.enabled) {
      app.addHook('onReady', async () => engine.start());
      app.addHook('preClose', async () => engine.stop());
    }
    await app.register(workflowRunRoutes({ workflows: app.workflows, engine }));
  },
  {
    name: 'proofpane-workflow-runs',
    dependencies: [
      'proofpane-identity',
      'proofpane-read-models',
      'proofpane-hitl',
      'proofpane-gateway',
      'proofpane-skills',
      'proofpane-workflows',
    ],
  },
);

declare module 'fastify' {
  interface FastifyInstance {
    workflowEngine: import('@proofpane/commands').WorkflowEngine;
  }
}
