import type { Kysely } from 'kysely';
import { foldEvents } from './event-pages.js';
import { deleteAll, insertRows, instant, liveRows, lockTables } from './kept.js';
import type { InlineTableGroup } from './types.js';

interface DeviceRow {
  id: string;
  org: string;
  name: string;
  platform: string;
  agent: string | null;
  token_hash: string;
  created_at: Date;
  revoked_at: Date | null;
  last_seen_at: Date | null;
}

interface CodeRow {
  code_hash: string;
  id: string;
  org: string;
  expires_at: Date;
  used_at: Date | null;
  agent: string | null;
}

const DEVICE_TYPES = [
  'cp.device.pairing-code.created',
  'cp.device.paired',
  'cp.device.renamed',
  'cp.device.revoked',
];

/**
 * `devices` and `device_pairing_codes`. Derived from the `cp.device.*` events: org, name, platform,
 * whether a device is revoked, a code's org and expiry, whether it was used. Kept from the live row by
 * id: `token_hash` and `code_hash` (secrets, never in an event), `last_seen_at` (no event
 * sets it), and the instants `created_at`, `revoked_at` and `used_at` (the writer's clock a moment
 * before the event's own time, which fills them in when a row lost them). A code the table marks used
 * stays used even without a pairing event (a claim whose pairing then failed): a rebuild never reopens
 * a code. A device or code whose row is gone cannot be written back without its hash; it is counted as
 * unrecoverable (pair the device again).
 */
export const deviceTables: InlineTableGroup = {
  name: 'devices',
  tables: ['devices', 'device_pairing_codes'],
  async rebuild(trx: Kysely<unknown>) {
    await lockTables(trx, this.tables);
    const liveDevices = await liveRows<DeviceRow>(trx, 'devices', (r) => r.id);
    const liveCodes = await liveRows<CodeRow>(trx, 'device_pairing_codes', (r) => r.id);
    const codes = new Map<string, { org: string; expiresAt: string; agent?: string; usedAt?: string }>();
    const devices = new Map<
      string,
      { org: string; name: string; platform: string; agent?: string; pairedAt: string; revokedAt?: string }
    >();
    const events = await foldEvents(trx, DEVICE_TYPES, (event) => {
      switch (event.type) {
        case 'cp.device.pairing-code.created': {
          const data = event.data as { codeId: string; expiresAt: string; agent?: string };
          codes.set(data.codeId, {
            org: event.org,
            expiresAt: data.expiresAt,
            ...(data.agent ? { agent: data.agent } : {}),
          });
          break;
        }
        case 'cp.device.paired': {
          const data = event.data as {
            deviceId: string;
            codeId: string;
            name: string;
            platform: string;
            agent?: string;
          };
          devices.set(data.deviceId, {
            org: event.org,
            name: data.name,
            platform: data.platform,
            ...(data.agent ? { agent: data.agent } : {}),
            pairedAt: event.time,
          });
          const code = codes.get(data.codeId);
          if (code) code.usedAt ??= event.time;
          break;
        }
        case 'cp.device.renamed': {
          const data = event.data as { deviceId: string; name: string };
          const device = devices.get(data.deviceId);
          if (device) device.name = data.name;
          break;
        }
        case 'cp.device.revoked': {
          const device = devices.get((event.data as { deviceId: string }).deviceId);
          if (device) device.revokedAt ??= event.time;
          break;
        }
      }
    });

    let lostDevices = 0;
    const deviceRows: DeviceRow[] = [];
    for (const [id, d] of devices) {
      const live = liveDevices.get(id);
      if (!live) {
        lostDevices += 1;
        continue;
      }
      deviceRows.push({
        id,
        org: d.org,
        name: d.name,
        platform: d.platform,
        agent: d.agent ?? null,
        token_hash: live.token_hash,
        created_at: instant(live.created_at, d.pairedAt),
        revoked_at: d.revokedAt === undefined ? null : instant(live.revoked_at, d.revokedAt),
        last_seen_at: live.last_seen_at,
      });
    }
    let lostCodes = 0;
    const codeRows: CodeRow[] = [];
    for (const [id, c] of codes) {
      const live = liveCodes.get(id);
      if (!live) {
        lostCodes += 1;
        continue;
      }
      codeRows.push({
        code_hash: live.code_hash,
        id,
        org: c.org,
        expires_at: new Date(c.expiresAt),
        used_at: live.used_at ?? (c.usedAt === undefined ? null : new Date(c.usedAt)),
        agent: c.agent ?? null,
      });
    }
    await deleteAll(trx, 'devices');
    await deleteAll(trx, 'device_pairing_codes');
    await insertRows(trx, 'devices', deviceRows);
    await insertRows(trx, 'device_pairing_codes', codeRows);
    return {
      events,
      rows: { devices: deviceRows.length, device_pairing_codes: codeRows.length },
      unrecoverable: { devices: lostDevices, device_pairing_codes: lostCodes },
    };
  },
};
