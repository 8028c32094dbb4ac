import { getSkill, WORKFLOW_TEMPLATES } from '@proofpane/commands';
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { workflowBuilderRoutes } from './builder-routes.js';
import { workflowRoutes } from './routes.js';
import { createWorkflowService, type WorkflowService } from './service.js';
import { migrateWorkflows } from './tables.js';

/**
 * Workflow definitions: versioned graphs validated against the skill catalogue, their lifecycle, diffs
 * and the template catalogue. `app.workflows` is how the run engine reads them.
 */
export const workflowsPlugin: FastifyPluginAsync = fp(
  async (app) => {
    const { runtime } = app;
    await migrateWorkflows(runtime.database.db);
    const service = createWorkflowService({
      db: runtime.database.db,
      store: runtime.store,
      skills: { get: getSkill },
      templates: WORKFLOW_TEMPLATES,
    });
    app.decorate('workflows', service);
    await app.register(workflowRoutes({ service }));
    await app.register(workflowBuilderRoutes({ skills: { get: getSkill } }));
  },
  { name: 'proofpane-workflows', dependencies: ['proofpane-identity'] },
);

declare module 'fastify' {
  interface FastifyInstance {
    workflows: WorkflowService;
  }
}
