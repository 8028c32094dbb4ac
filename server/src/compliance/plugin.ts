import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { complianceRoutes } from './routes.js';
import { createComplianceService } from './service.js';

/**
 * Compliance frameworks: the control catalogue, crosswalks, the skill ↔ control mapping with four-eyes
 * overrides, coverage and evidence from the compliance projection, and per-control Evidence Packs.
 */
export const compliancePlugin: FastifyPluginAsync = fp(
  async (app) => {
    const { runtime } = app;
    const service = createComplianceService({ db: runtime.database.db, store: runtime.store });
    await app.register(complianceRoutes({ service }));
  },
  { name: 'proofpane-compliance', dependencies: ['proofpane-identity', 'proofpane-read-models'] },
);
