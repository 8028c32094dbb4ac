import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { toolRoutes } from './routes.js';
import { LocalWorkspaces, workspacesDir } from './runtime.js';

/** Governed agent tool calls, run in this process's workspaces or on a paired device. */
export const toolsPlugin: FastifyPluginAsync = fp(
  async (app) => {
    await app.register(
      toolRoutes({
        local: new LocalWorkspaces(workspacesDir(app.runtime.config)),
        hub: app.devices.hub,
        devices: app.devices.service,
        policies: app.gateway.policies,
        remoteTimeoutMs: 120_000,
        hitl: app.hitl,
      }),
    );
  },
  {
    name: 'proofpane-tools',
    dependencies: ['proofpane-identity', 'proofpane-hitl', 'proofpane-gateway', 'proofpane-devices'],
  },
);
