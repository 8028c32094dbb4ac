import {
  deviceList,
  deviceName,
  devicePairingCode,
  device as deviceView,
  renameDeviceBody,
} from '@proofpane/api';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AGENT_NAME, principalOf, requireRole } from '../auth/index.js';
import { idParams } from '../http/route-params.js';
import { authRateLimit, bearer } from '../http/route-security.js';
import type { DeviceHub } from './hub.js';
import type { DeviceService } from './store.js';
import type { DeviceRow } from './tables.js';

export function deviceRoutes(options: {
  devices: DeviceService;
  hub: DeviceHub;
  pairRateLimit: number;
}): FastifyPluginAsync {
  const { devices, hub } = options;
  const view = (d: DeviceRow) => ({
    id: d.id,
    name: d.name,
    platform: d.platform,
    agent: d.agent,
    createdAt: new Date(d.created_at).toISOString(),
    revokedAt: d.revoked_at ? new Date(d.revoked_at).toISOString() : null,
    lastSeenAt: d.last_seen_at ? new Date(d.last_seen_at).toISOString() : null,
    connected: hub.isConnected(d.id),
  });

  return async (app) => {
    const api = app.withTypeProvider<ZodTypeProvider>();
    const tags = ['devices'];

    api.post(
      '/api/devices/pairing-codes',
      {
        onRequest: requireRole('admin'),
        schema: {
          tags,
          security: bearer,
          summary: 'Create a single-use pairing code (10 minutes) for `proofpane-daemon pair`',
          body: z
            .strictObject({
              agent: z
                .string()
                .regex(AGENT_NAME, 'agent names are lower-case identifiers')
                .optional()
                .describe("The policy's agent scope the paired device acts in (default: the org-wide scope)"),
            })
            .nullish(),
          response: {
            201: devicePairingCode,
          },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        reply.status(201);
        return devices.createPairingCode({
          org: principal.org,
          actor: principal.actor,
          agent: request.body?.agent,
        });
      },
    );

    api.post(
      '/api/devices/pair',
      {
        config: authRateLimit(options.pairRateLimit),
        schema: {
          tags,
          summary: 'Exchange a pairing code for a device token (used by the daemon)',
          body: z.strictObject({
            code: z.string().trim().min(4).max(20),
            name: deviceName,
            platform: z.string().trim().min(1).max(100),
          }),
          response: { 201: z.object({ deviceId: z.string(), token: z.string(), org: z.string() }) },
        },
      },
      async (request, reply) => {
        reply.status(201);
        return devices.pair(request.body);
      },
    );

    api.get(
      '/api/devices',
      {
        onRequest: requireRole('member'),
        schema: {
          tags,
          security: bearer,
          summary: 'Paired devices',
          response: { 200: deviceList },
        },
      },
      async (request) => ({ devices: (await devices.list({ org: principalOf(request).org })).map(view) }),
    );

    api.patch(
      '/api/devices/:id',
      {
        onRequest: requireRole('admin'),
        schema: {
          tags,
          security: bearer,
          summary: 'Rename a device',
          params: idParams,
          body: renameDeviceBody,
          response: { 200: deviceView },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        return view(
          await devices.rename({
            org: principal.org,
            deviceId: request.params.id,
            name: request.body.name,
            actor: principal.actor,
          }),
        );
      },
    );

    api.delete(
      '/api/devices/:id',
      {
        onRequest: requireRole('admin'),
        schema: {
          tags,
          security: bearer,
          summary: 'Revoke a device: its socket closes at once',
          params: idParams,
          response: { 200: deviceView },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const device = await devices.revoke({
          org: principal.org,
          deviceId: request.params.id,
          actor: principal.actor,
        });
        hub.disconnect(device.id, 'the device was revoked');
        return view(device);
      },
    );
  };
}
