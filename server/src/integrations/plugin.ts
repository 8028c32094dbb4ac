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
    const settings = integrationSettings({ env: config.integrationEnv, publicUrl: config.publicUrl });
    const service = createIntegrationService({
      db,
      store: runtime.store,
      vault: createIntegrationVault({ db, masterKey }),
      settings,
      masterKey,
      hitl: app.hitl,
      skills: (request) => app.skills.run(request),
      onError: (err) => app.log.warn({ err }, 'integration alert pass failed'),
    });
    app.decorate('integrations', service);
    app.loops.register({
      name: 'integration-alerts',
      duty: 'worker',
      scope: 'once',
      start: () => {
        let pass: Promise<unknown> = Promise.resolve();
        const timer = setInterval(() => {
          pass = service
            .postAlerts()
            .catch((err: unknown) => app.log.warn({ err }, 'integration alerts failed'));
        }, settings.slack.alertsEveryMs);
        timer.unref();
        return {
          stop: async () => {
            clearInterval(timer);
            await pass;
          },
        };
      },
    });
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
