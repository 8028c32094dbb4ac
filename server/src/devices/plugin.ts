import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { createMcpActivity } from '../mcp/activity.js';
import { createMcpRegistry } from '../mcp/registry.js';
import { mcpRoutes } from '../mcp/routes.js';
import { toolRoutes } from '../tools/routes.js';
import { LocalWorkspaces, workspacesDir } from '../tools/runtime.js';
import { DeviceHub } from './hub.js';
import { deviceRoutes } from './routes.js';
import { deviceSocketRoute } from './socket-route.js';
import { createDeviceService } from './store.js';
import { migrateDevices } from './tables.js';

/**
 * Paired devices and the tools they run: pairing codes, the device WebSocket, governed tool
 * calls (in-process or on a daemon), the MCP server registry and MCP activity.
 */
export const devicesPlugin: FastifyPluginAsync = fp(
  async (app) => {
    const { runtime } = app;
    const db = runtime.database.db;
    await migrateDevices(db);
    const now = () => new Date();
    const hub = new DeviceHub();
    const devices = createDeviceService({ db, store: runtime.store, now });
    const policies = app.gateway.policies;
    const local = new LocalWorkspaces(workspacesDir(runtime.config));
    app.decorate('devices', { hub, service: devices });
    await app.register(deviceSocketRoute({ db, hub, devices }));
    await app.register(deviceRoutes({ devices, hub, pairRateLimit: runtime.config.authRateLimit }));
    await app.register(
      toolRoutes({ local, hub, devices, policies, remoteTimeoutMs: 120_000, hitl: app.hitl }),
    );
    await app.register(
      mcpRoutes({
        db,
        registry: createMcpRegistry({ db, store: runtime.store, now }),
        activity: createMcpActivity({ db, store: runtime.store }),
        policies,
      }),
    );
  },
  { name: 'proofpane-devices', dependencies: ['proofpane-identity', 'proofpane-gateway', 'proofpane-hitl'] },
);

declare module 'fastify' {
  interface FastifyInstance {
    devices: { hub: DeviceHub; service: ReturnType<typeof createDeviceService> };
  }
}
