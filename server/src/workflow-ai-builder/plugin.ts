import { getSkill, listSkills } from '@proofpane/commands';
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { workflowAiBuilderRoutes } from './routes.js';

/** The workflow AI Builder: a model's proposed graph changes through the governed call (decision 0045). */
export const workflowAiBuilderPlugin: FastifyPluginAsync = fp(
  async (app) => {
    const skills = { get: getSkill, ids: listSkills().map((s) => s.id) };
    await app.register(workflowAiBuilderRoutes({ gateway: app.gateway.gateway, skills }));
  },
  {
    name: 'proofpane-workflow-ai-builder',
    dependencies: ['proofpane-identity', 'proofpane-gateway', 'proofpane-workflows'],
  },
);
