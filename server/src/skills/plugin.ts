import {
  evolutionCapsules,
  evolutionInputKeeper,
  migrateKeptInputs,
  runSkill,
  type SkillRunnerDeps,
  useCaseExists,
} from '@proofpane/commands';
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { type SkillRunner, skillRoutes } from './routes.js';

/**
 * Governed skills: the catalogue and single skill runs over HTTP, and `app.skills.run` for the plugins
 * after it (workflow steps run their skills through it, on the same store and gateway).
 */
export const skillsPlugin: FastifyPluginAsync = fp(
  async (app) => {
    await migrateKeptInputs(app.runtime.database.db);
    const deps: SkillRunnerDeps = {
      store: app.runtime.store,
      gateway: app.gateway.gateway,
      // The capsule hook: a run's system prompt is the org's active capsule for the skill, when one is.
      capsules: evolutionCapsules(app.runtime.store),
      // Each run's input, masked as its provider saw it, kept for replays (decisions/0043).
      inputs: evolutionInputKeeper(app.runtime.store),
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
    const run: SkillRunner = async (request) => {
      const result = await runSkill(deps, request);
      // The quality judge registers after this plugin; an answer in the org's sample is held for it. The
      // run is recorded already: a failure to hold it is logged, never the caller's error.
      if (app.hasDecorator('qualityJudge'))
        await app.qualityJudge.service
          .offer({
            org: request.org,
            runId: result.runId,
            skill: result.skillId,
            input: request.input,
            output: result.output,
          })
          .catch((err: unknown) => app.log.warn({ err, runId: result.runId }, 'holding a sampled run'));
      return result;
    };
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
