import { createPairingCode, DeviceError, handleDeviceCommand, pairDevice } from '@proofpane/commands';
import { type Actor, type EventStore, newId } from '@proofpane/core';
import { type Kysely, sql } from 'kysely';
import { apiError } from '../http/errors.js';
import { hashDeviceToken, hashPairingCode, newDeviceToken, newPairingCode } from './credentials.js';
import type { DeviceRow } from './tables.js';

/**
 * Pairing and device lifecycle, decided in `@proofpane/commands` (devices): this wires the clock, the ids
 * and the credentials in. Code and token hashes live only in the rows, never in events; each row is
 * written in its event's transaction (a row the database refuses leaves no event behind).
 */
export function createDeviceService(options: { db: Kysely<unknown>; store: EventStore; now: () => Date }) {
  const { db, store, now } = options;

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
      const [created] = await createPairingCode({
        store,
        org,
        actor,
        command: { type: 'create-code', codeId, now: now(), agent },
        inline: async (trx, [event]) => {
          const { expiresAt } = event!.data as { expiresAt: string };
          await sql`INSERT INTO device_pairing_codes (code_hash, id, org, expires_at, agent)
            VALUES (${hashPairingCode(code)}, ${codeId}, ${org}, ${new Date(expiresAt)}, ${agent ?? null})`.execute(
            trx,
          );
        },
      });
      const { expiresAt } = created!.data as { expiresAt: string };
      return { code, expiresAt, agent: agent ?? null };
    },

    /** Exchanges a code for a device token; the code works once, for ten minutes. */
    async pair({ code, name, platform }: { code: string; name: string; platform: string }) {
      const at = now();
      const codeHash = hashPairingCode(code);
      const { rows } = await sql<{
        id: string;
        org: string;
        agent: string | null;
        expires_at: Date;
        used_at: Date | null;
      }>`SELECT id, org, agent, expires_at, used_at FROM device_pairing_codes WHERE code_hash = ${codeHash}`.execute(
        db,
      );
      const row = rows[0];
      const presented = row && {
        codeId: row.id,
        expiresAt: new Date(row.expires_at),
        usedAt: row.used_at === null ? null : new Date(row.used_at),
        agent: row.agent,
      };
      const deviceId = newId('dev');
      const token = newDeviceToken();
      await pairDevice({
        store,
        // An unknown code is refused by the decider before the org matters.
        org: row?.org ?? '',
        command: { type: 'pair', deviceId, code: presented, name, platform, now: at },
        inline: async (trx) => {
          // Claiming the code is one conditional UPDATE in the pairing's transaction, so of two racing
          // exchanges that both read it unused only one commits; the other leaves no event and no device.
          const claimed = await sql`UPDATE device_pairing_codes SET used_at = ${at}
            WHERE code_hash = ${codeHash} AND used_at IS NULL AND expires_at > ${at}`.execute(trx);
          if (Number(claimed.numAffectedRows ?? 0) !== 1)
            throw new DeviceError('gone', 'this pairing code has expired or was already used');
          await sql`INSERT INTO devices (id, org, name, platform, agent, token_hash, created_at)
            VALUES (${deviceId}, ${row!.org}, ${name}, ${platform}, ${row!.agent}, ${hashDeviceToken(token)}, ${at})`.execute(
            trx,
          );
        },
      });
      return { deviceId, token, org: row!.org };
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
      await handleDeviceCommand({
        store,
        org,
        actor,
        command: { type: 'rename', deviceId, name },
        inline: async (trx) => {
          await sql`UPDATE devices SET name = ${name} WHERE org = ${org} AND id = ${deviceId}`.execute(trx);
        },
      });
      return this.get({ org, deviceId });
    },

    /** Revoking a revoked device changes nothing and answers with it as it is. */
    async revoke({ org, deviceId, actor }: { org: string; deviceId: string; actor: Actor }) {
      await handleDeviceCommand({
        store,
        org,
        actor,
        command: { type: 'revoke', deviceId },
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
