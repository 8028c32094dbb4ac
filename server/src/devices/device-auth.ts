import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { auditRefusedCredential } from '../auth/credential-audit.js';
import { apiError } from '../http/errors.js';
import { DEVICE_TOKEN_PREFIX, hashDeviceToken } from './credentials.js';
import type { DeviceRow } from './tables.js';

const BEARER = /^Bearer +(ppd_[A-Za-z0-9_-]{20,})$/;

export async function deviceByToken(db: Kysely<unknown>, token: string): Promise<DeviceRow | undefined> {
  const { rows } = await sql<DeviceRow>`
    SELECT id, org, name, platform, agent, created_at, revoked_at, last_seen_at
    FROM devices WHERE token_hash = ${hashDeviceToken(token)}`.execute(db);
  return rows[0];
}

/** The device behind `Authorization: Bearer ppd_…`; 401 when unknown or revoked. */
export async function authenticateDevice(db: Kysely<unknown>, request: FastifyRequest): Promise<DeviceRow> {
  const match = BEARER.exec(request.headers.authorization ?? '');
  if (!match)
    throw apiError('unauthenticated', `send Authorization: Bearer <device token> (${DEVICE_TOKEN_PREFIX}…)`);
  const device = await deviceByToken(db, match[1]!);
  if (device?.revoked_at) {
    // A revoked token still names its org: the refusal is that org's evidence too.
    await auditRefusedCredential({
      store: request.server.runtime.store,
      org: device.org,
      refused: { credential: 'device_token', reason: 'revoked', deviceId: device.id },
      now: new Date(),
      onError: (error) => request.log.warn({ err: error }, 'could not audit a refused device token'),
    });
  }
  if (!device || device.revoked_at)
    throw apiError('unauthenticated', 'the device token is unknown or was revoked');
  return device;
}
