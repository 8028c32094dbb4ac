import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { multiAgentRoutes } from './routes.js';
import { createMultiAgentService, type MultiAgentService } from './service.js';

/**
 * Multi-agent primitives over HTTP, and `app.multiAgent` for the plugins after it (workflow steps of type
 * `multi_agent` run through it, on the same store, gateway and HITL service).
 */
export const multiAgentPlugin: FastifyPluginAsync = fp(
  async (app) => {
    const service = createMultiAgentService({
      store: app.runtime.store,
      gateway: app.gateway.gateway,
      hitl: app.hitl,
      onError: (err) => app.log.warn({ err }, 'settling a consensus escalation failed'),
    });
    app.decorate('multiAgent', service);
    await app.register(multiAgentRoutes({ service, store: app.runtime.store, hitl: app.hitl }));
  },
  {
    name: 'proofpane-multi-agent',
    dependencies: ['proofpane-identity', 'proofpane-gateway', 'proofpane-hitl'],
  },
);

declare module 'fastify' {
  interface FastifyInstance {
    multiAgent: MultiAgentService;
  }
}
