import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { qualityRoutes } from './routes.js';

/** Quality checks of model answers (docs/quality.md): the L3 dry-run route. */
export const qualityPlugin: FastifyPluginAsync = fp(
  async (app) => {
    await app.register(qualityRoutes);
  },
  { name: 'proofpane-quality', dependencies: ['proofpane-identity'] },
);
