import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { useCaseRoutes } from './routes.js';

/**
 * AI use cases: the register, its lifecycle and the EU AI Act tier, suggested by a governed skill run
 * (`app.skills.run`) and confirmed by a person. The list and the linked runs read the `use-cases`
 * projection; one case is read from its own events.
 */
export const useCasesPlugin: FastifyPluginAsync = fp(
  async (app) => {
    await app.register(useCaseRoutes({ run: app.skills.run }));
  },
  { name: 'proofpane-use-cases', dependencies: ['proofpane-identity', 'proofpane-skills'] },
);
