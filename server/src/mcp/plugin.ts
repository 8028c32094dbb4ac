import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { createMcpActivity } from './activity.js';
import { createMcpRegistry } from './registry.js';
import { mcpRoutes } from './routes.js';

/**
 * The org's MCP server registry, the gate a governed `proofpane-daemon mcp` asks, and MCP activity.
 * Depends on devices for device-token authentication and for the tables its migration creates.
 */
export const mcpPlugin: FastifyPluginAsync = fp(
  async (app) => {
    const { db } = app.runtime.database;
    const { store } = app.runtime;
    await app.register(
      mcpRoutes({
        authenticateDevice: app.devices.authenticate,
        registry: createMcpRegistry({ db, store, now: () => new Date() }),
        activity: createMcpActivity({ db, store }),
        policies: app.gateway.policies,
      }),
    );
  },
  {
    name: 'proofpane-mcp',
    dependencies: ['proofpane-identity', 'proofpane-hitl', 'proofpane-gateway', 'proofpane-devices'],
  },
);
