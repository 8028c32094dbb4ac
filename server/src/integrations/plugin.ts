import { createIntegrationVault, loadMasterKey, migrateIntegrationCredentials } from '@proofpane/commands';
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { slackInteractionRoutes } from './interaction-routes.js';
import { integrationRoutes } from './routes.js';
import { createIntegrationService, type IntegrationService } from './service.js';
import { integrationSettings } from './settings.js';
import { migrateIntegrations } from './tables.js';

/**
 * Salesforce, Gmail and Slack connections (docs/integrations.md): credentials sealed like provider keys,
 * every read and write of the external system audited by field names, Slack clicks resolving HITL.
 */
export const integrationsPlugin: FastifyPluginAsync = fp(
  async (app) => {
    const { runtime } = app;
    const { config } = runtime;
    const db = runtime.database.db;
    await migrateIntegrationCredentials(db);
    await migrateIntegrations(db);
    const masterKey = loadMasterKey({ envValue: config.masterKey, dataDir: config.dataDir });
    const service = createIntegrationService({
      db,
      store: runtime.store,
      vault: createIntegrationVault({ db, masterKey }),
      settings: integrationSettings({ env: config.integrationEnv, publicUrl: config.publicUrl }),
      masterKey,
      hitl: app.hitl,
      skills: (request) => app.skills.run(request),
    });
    app.decorate('integrations', service);
    await app.register(integrationRoutes({ service }));
    await app.register(slackInteractionRoutes({ service }));
  },
  {
    name: 'proofpane-integrations',
    dependencies: ['proofpane-identity', 'proofpane-hitl', 'proofpane-skills'],
  },
);

declare module 'fastify' {
  interface FastifyInstance {
    integrations: IntegrationService;
  }
}
