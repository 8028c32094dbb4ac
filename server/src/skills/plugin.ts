import { runSkill, type SkillRunnerDeps, useCaseExists } from '@proofpane/commands';
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { type SkillRunner, skillRoutes } from './routes.js';

/**
 * Governed skills: the catalogue and single skill runs over HTTP, and `app.skills.run` for the plugins
 * after it (workflow steps run their skills through it, on the same store and gateway).
 */
export const skillsPlugin: FastifyPluginAsync = fp(
  async (app) => {
    const deps: SkillRunnerDeps = {
      store: app.runtime.store,
      gateway: app.gateway.gateway,
      openAiCompatibleAvailable: app.gateway.registry.available().includes('openai-compatible'),
      // The documents plugin registers after this one; a run looks it up when it needs it.
      retrieve: async ({ org, useCaseId, query, runId, actor }) =>
        app.hasDecorator('documents')
          ? app.documents.search({
              org,
              actor,
              useCaseId,
              query,
              k: 5,
              mode: 'hybrid',
              runId,
            })
          : [],
    };
    const run: SkillRunner = (request) => runSkill(deps, request);
    app.decorate('skills', { run });
    const { store } = app.runtime;
    await app.register(
      skillRoutes({ run, useCaseExists: (org, useCaseId) => useCaseExists({ store, org, useCaseId }) }),
    );
  },
  { name: 'proofpane-skills', dependencies: ['proofpane-identity', 'proofpane-gateway'] },
);

declare module 'fastify' {
  interface FastifyInstance {
    skills: { run: SkillRunner };
  }
}
