import websocket from '@fastify/websocket';
import type { FastifyPluginAsync } from 'fastify';
import type { Kysely } from 'kysely';
import { authenticateDevice } from './device-auth.js';
import type { DeviceHub } from './hub.js';
import type { DeviceService } from './store.js';
import type { DeviceRow } from './tables.js';

/**
 * `GET /api/devices/ws`: where `proofpane-daemon run` connects with its device token. An unknown
 * or revoked token is refused with 401 before the upgrade, so the daemon stops retrying.
 */
export function deviceSocketRoute(options: {
  db: Kysely<unknown>;
  hub: DeviceHub;
  devices: DeviceService;
}): FastifyPluginAsync {
  return async (app) => {
    await app.register(websocket, { options: { maxPayload: 16 * 1024 * 1024, perMessageDeflate: false } });
    app.get(
      '/api/devices/ws',
      {
        websocket: true,
        schema: { hide: true },
        preValidation: async (request) => {
          (request as { device?: DeviceRow }).device = await authenticateDevice(options.db, request);
        },
      },
      (socket, request) => {
        const device = (request as { device?: DeviceRow }).device!;
        let lastTouch = 0;
        options.hub.attach({
          deviceId: device.id,
          org: device.org,
          socket,
          onSeen: () => {
            if (Date.now() - lastTouch < 30_000) return;
            lastTouch = Date.now();
            options.devices
              .seen({ deviceId: device.id })
              .catch((err: unknown) => request.log.warn({ err }, 'last-seen update failed'));
          },
        });
      },
    );
    app.addHook('onClose', async () => options.hub.closeAll());
  };
}
