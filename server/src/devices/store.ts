import { type Actor, type EventStore, newId } from '@proofpane/core';
import { type Kysely, sql } from 'kysely';
import { apiError } from '../http/errors.js';
import { hashDeviceToken, hashPairingCode, newDeviceToken, newPairingCode } from './credentials.js';
import type { DeviceRow } from './tables.js';

export const PAIRING_CODE_TTL_MS = 10 * 60_000;

/**
 * Pairing and device lifecycle: each change is an event and its table row, written in one transaction
 * (a row the database refuses leaves no event behind).
 */
export function createDeviceService(options: { db: Kysely<unknown>; store: EventStore; now: () => Date }) {
  const { db, store, now } = options;
  const subject = (deviceId: string) => `device/${deviceId}`;

  return {
    async createPairingCode({
      org,
      actor,
      agent,
    }: {
      org: string;
      actor: Actor;
      agent?: string | undefined;
    }) {
      const code = newPairingCode();
      const codeId = newId('pc');
      const expiresAt = new Date(now().getTime() + PAIRING_CODE_TTL_MS);
      await store.append({
        org,
        events: [
          {
            type: 'cp.device.pairing-code.created',
            subject: `pairing-code/${codeId}`,
            actor,
            data: { codeId, expiresAt: expiresAt.toISOString(), ...(agent ? { agent } : {}) },
          },
        ],
        inline: async (trx) => {
          await sql`INSERT INTO device_pairing_codes (code_hash, id, org, expires_at, agent)
            VALUES (${hashPairingCode(code)}, ${codeId}, ${org}, ${expiresAt}, ${agent ?? null})`.execute(
            trx,
          );
        },
      });
      return { code, expiresAt: expiresAt.toISOString(), agent: agent ?? null };
    },

    /** Exchanges a code for a device token; the code works once, for ten minutes. */
    async pair({ code, name, platform }: { code: string; name: string; platform: string }) {
      const at = now();
      // Claiming the code is one conditional UPDATE, so two racing exchanges cannot both win.
      const claimed = await sql<{ id: string; org: string; agent: string | null }>`
        UPDATE device_pairing_codes SET used_at = ${at}
        WHERE code_hash = ${hashPairingCode(code)} AND used_at IS NULL AND expires_at > ${at}
        RETURNING id, org, agent`.execute(db);
      const row = claimed.rows[0];
      if (!row) {
        const { rows } = await sql<{ id: string }>`
          SELECT id FROM device_pairing_codes WHERE code_hash = ${hashPairingCode(code)}`.execute(db);
        if (rows.length > 0) throw apiError('gone', 'this pairing code has expired or was already used');
        throw apiError('not_found', 'no such pairing code; check it or ask an admin for a new one');
      }
      const deviceId = newId('dev');
      const token = newDeviceToken();
      await store.append({
        org: row.org,
        events: [
          {
            type: 'cp.device.paired',
            subject: subject(deviceId),
            actor: { kind: 'device', id: deviceId },
            data: { deviceId, codeId: row.id, name, platform, ...(row.agent ? { agent: row.agent } : {}) },
          },
        ],
        inline: async (trx) => {
          await sql`INSERT INTO devices (id, org, name, platform, agent, token_hash, created_at)
            VALUES (${deviceId}, ${row.org}, ${name}, ${platform}, ${row.agent}, ${hashDeviceToken(token)}, ${at})`.execute(
            trx,
          );
        },
      });
      return { deviceId, token, org: row.org };
    },

    async list({ org }: { org: string }): Promise<DeviceRow[]> {
      const { rows } = await sql<DeviceRow>`
        SELECT id, org, name, platform, agent, created_at, revoked_at, last_seen_at FROM devices
        WHERE org = ${org} ORDER BY created_at, id`.execute(db);
      return rows;
    },

    async get({ org, deviceId }: { org: string; deviceId: string }): Promise<DeviceRow> {
      const { rows } = await sql<DeviceRow>`
        SELECT id, org, name, platform, agent, created_at, revoked_at, last_seen_at FROM devices
        WHERE org = ${org} AND id = ${deviceId}`.execute(db);
      if (!rows[0]) throw apiError('not_found', `no device ${deviceId} in this organisation`);
      return rows[0];
    },

    async rename({
      org,
      deviceId,
      name,
      actor,
    }: {
      org: string;
      deviceId: string;
      name: string;
      actor: Actor;
    }) {
      await this.get({ org, deviceId });
      await store.append({
        org,
        events: [{ type: 'cp.device.renamed', subject: subject(deviceId), actor, data: { deviceId, name } }],
        inline: async (trx) => {
          await sql`UPDATE devices SET name = ${name} WHERE org = ${org} AND id = ${deviceId}`.execute(trx);
        },
      });
      return this.get({ org, deviceId });
    },

    async revoke({ org, deviceId, actor }: { org: string; deviceId: string; actor: Actor }) {
      const device = await this.get({ org, deviceId });
      if (device.revoked_at) return device;
      await store.append({
        org,
        events: [{ type: 'cp.device.revoked', subject: subject(deviceId), actor, data: { deviceId } }],
        inline: async (trx) => {
          await sql`UPDATE devices SET revoked_at = ${now()} WHERE org = ${org} AND id = ${deviceId}`.execute(
            trx,
          );
        },
      });
      return this.get({ org, deviceId });
    },

    async seen({ deviceId }: { deviceId: string }) {
      await sql`UPDATE devices SET last_seen_at = ${now()} WHERE id = ${deviceId}`.execute(db);
    },
  };
}

export type DeviceService = ReturnType<typeof createDeviceService>;
