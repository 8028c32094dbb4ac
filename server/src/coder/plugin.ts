import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { workspacesDir } from '../tools/runtime.js';
import { migrateCoderGate } from './active-gate.js';
import { coderRoutes } from './routes.js';
import { type CoderService, createCoderService } from './service.js';
import { CoderTrees } from './trees.js';

/**
 * Repo Coder and Greenfield (docs/coder.md): sessions whose model turns are governed calls and whose tool
 * calls take the governed tool path, in a worktree or a folder of their own, inside the sandbox.
 */
export const coderPlugin: FastifyPluginAsync = fp(
  async (app) => {
    const { store, database, config } = app.runtime;
    await migrateCoderGate(database.db);
    const service = createCoderService({
      db: database.db,
      store,
      gateway: app.gateway.gateway,
      hitl: app.hitl,
      policies: app.gateway.policies,
      trees: new CoderTrees({ workspacesDir: workspacesDir(config), dataDir: config.dataDir }),
      // A call on the device may take the `run` tool's whole timeout, and then some to come back.
      devices: {
        hub: app.devices.hub,
        service: app.devices.service,
        timeoutMs: config.coder.runTimeoutMs + 30_000,
      },
      limits: config.coder,
      onError: (err) => app.log.warn({ err }, 'coder session'),
    });
    app.decorate('coder', { service });
    await app.register(coderRoutes({ service }));
  },
  {
    name: 'proofpane-coder',
    dependencies: [
      'proofpane-identity',
      'proofpane-devices',
      'proofpane-hitl',
      'proofpane-gateway',
      'proofpane-evolution',
    ],
  },
);

declare module 'fastify' {
  interface FastifyInstance {
    coder: { service: CoderService };
  }
}
