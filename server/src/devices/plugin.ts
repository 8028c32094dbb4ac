import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { authenticateDevice } from './device-auth.js';
import { DeviceHub } from './hub.js';
import { deviceRoutes } from './routes.js';
import { deviceSocketRoute } from './socket-route.js';
import { createDeviceService, type DeviceService } from './store.js';
import { type DeviceRow, migrateDevices } from './tables.js';

/**
 * Paired devices: pairing codes, device tokens, the device WebSocket and its hub. The hub, the
 * service and device-token authentication are decorations, so that the tools and MCP plugins reach
 * them by declaring this plugin a dependency rather than by importing this folder.
 */
export const devicesPlugin: FastifyPluginAsync = fp(
  async (app) => {
    const { runtime } = app;
    const db = runtime.database.db;
    // Also creates the MCP registry and activity tables, which came with the first device migration.
    await migrateDevices(db);
    const now = () => new Date();
    const hub = new DeviceHub();
    const devices = createDeviceService({ db, store: runtime.store, now });
    app.decorate('devices', {
      hub,
      service: devices,
      authenticate: (request: FastifyRequest) => authenticateDevice(db, request),
    });
    await app.register(deviceSocketRoute({ db, hub, devices }));
    await app.register(deviceRoutes({ devices, hub, pairRateLimit: runtime.config.authRateLimit }));
  },
  { name: 'proofpane-devices', dependencies: ['proofpane-identity'] },
);

declare module 'fastify' {
  interface FastifyInstance {
    devices: {
      hub: DeviceHub;
      service: DeviceService;
      /** The device behind `Authorization: Bearer ppd_…`; 401 when unknown or revoked. */
      authenticate: (request: FastifyRequest) => Promise<DeviceRow>;
    };
  }
}
