import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { evidenceRoutes } from './routes.js';

/** Evidence Packs, the published signing keys and the checkpoint loop. */
export const evidencePlugin: FastifyPluginAsync = fp(
  async (app) => {
    // Registered as a child so its routes and hooks stay encapsulated, as they were before it had a name.
    await app.register(evidenceRoutes);
  },
  { name: 'proofpane-evidence', dependencies: ['proofpane-identity'] },
);
