import { randomBytes } from 'node:crypto';
import { recordApproverPaired, recordApproverRevoked } from '@proofpane/commands';
import { type Actor, type EventStore, newId, sha256Hex } from '@proofpane/core';
import type { FastifyRequest } from 'fastify';
import { type Kysely, sql } from 'kysely';
import { hashPairingCode, newPairingCode } from '../devices/credentials.js';
import { apiError } from '../http/errors.js';

const CODE_TTL_MS = 10 * 60_000;
const TOKEN = /^Bearer +(ppa_[A-Za-z0-9_-]{20,})$/;

interface ApproverRow {
  id: string;
  name: string;
  created_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
}

const approverView = (r: ApproverRow) => ({
  id: r.id,
  name: r.name,
  createdAt: new Date(r.created_at).toISOString(),
  expiresAt: new Date(r.expires_at).toISOString(),
  revokedAt: r.revoked_at ? new Date(r.revoked_at).toISOString() : null,
});

/** Another revocation of the same approver committed first: this one appends nothing. */
class AlreadyRevoked extends Error {}

export interface Approver {
  id: string;
  org: string;
  createdBy: string;
}

/** Desktop approvers: paired with an admin's short code, acting for that admin on HITL routes only. */
export function createApprovers(options: { db: Kysely<unknown>; store: EventStore; now: () => Date }) {
  const { db, store, now } = options;
  return {
    async createCode({ org, actor }: { org: string; actor: Actor }) {
      const code = newPairingCode();
      const expiresAt = new Date(now().getTime() + CODE_TTL_MS);
      await sql`INSERT INTO hitl_approver_codes (code_hash, id, org, created_by, expires_at)
        VALUES (${hashPairingCode(`approver:${code}`)}, ${newId('apc')}, ${org}, ${actor.id}, ${expiresAt})`.execute(
        db,
      );
      return { code, expiresAt: expiresAt.toISOString() };
    },

    async pair({ code, name }: { code: string; name: string }) {
      const at = now();
      const hash = hashPairingCode(`approver:${code}`);
      const claimed = await sql<{ org: string; created_by: string }>`
        UPDATE hitl_approver_codes SET used_at = ${at}
        WHERE code_hash = ${hash} AND used_at IS NULL AND expires_at > ${at} RETURNING org, created_by`.execute(
        db,
      );
      const row = claimed.rows[0];
      if (!row) {
        const { rows } = await sql`SELECT 1 FROM hitl_approver_codes WHERE code_hash = ${hash}`.execute(db);
        throw rows.length > 0
          ? apiError('gone', 'this pairing code has expired or was already used')
          : apiError('not_found', 'no such pairing code; ask an admin for a new one');
      }
      const approverId = newId('apr');
      const token = `ppa_${randomBytes(32).toString('base64url')}`;
      const { expiresAt } = await recordApproverPaired({
        store,
        org: row.org,
        approverId,
        name,
        pairedBy: row.created_by,
        pairedAt: at,
        writeRow: async (trx, expiresAt) => {
          await sql`INSERT INTO hitl_approvers (id, org, name, token_hash, created_by, created_at, expires_at)
            VALUES (${approverId}, ${row.org}, ${name}, ${sha256Hex(token)}, ${row.created_by}, ${at}, ${expiresAt})`.execute(
            trx,
          );
        },
      });
      return { token, org: row.org, approverId, expiresAt };
    },

    /** The org's paired desktop approvers, newest first, for the console's pairing page (no token hashes). */
    async list({ org }: { org: string }) {
      const { rows } =
        await sql<ApproverRow>`SELECT id, name, created_at, expires_at, revoked_at FROM hitl_approvers
         WHERE org = ${org} ORDER BY created_at DESC, id DESC LIMIT 200`.execute(db);
      return rows.map(approverView);
    },

    /**
     * Revokes one of the org's approvers: its token is refused from the next request on, on every
     * process (tokens are looked up per request, never cached). Revoking a revoked approver changes nothing.
     */
    async revoke({ org, approverId, actor }: { org: string; approverId: string; actor: Actor }) {
      const { rows } = await sql<{ name: string; revoked_at: Date | null }>`
        SELECT name, revoked_at FROM hitl_approvers WHERE org = ${org} AND id = ${approverId}`.execute(db);
      const found = rows[0];
      if (!found) throw apiError('not_found', 'no such desktop approver in this organisation');
      if (!found.revoked_at) {
        await recordApproverRevoked({
          store,
          org,
          approverId,
          name: found.name,
          actor,
          writeRow: async (trx) => {
            const updated = await sql`UPDATE hitl_approvers SET revoked_at = ${now()}
              WHERE org = ${org} AND id = ${approverId} AND revoked_at IS NULL`.execute(trx);
            if (Number(updated.numAffectedRows ?? 0) === 0) throw new AlreadyRevoked();
          },
        }).catch((error: unknown) => {
          if (!(error instanceof AlreadyRevoked)) throw error;
        });
      }
      const { rows: after } = await sql<ApproverRow>`SELECT id, name, created_at, expires_at, revoked_at
        FROM hitl_approvers WHERE org = ${org} AND id = ${approverId}`.execute(db);
      return approverView(after[0]!);
    },

    /** The approver behind `Authorization: Bearer ppa_…`, or undefined when the header holds another credential. */
    async fromRequest(request: FastifyRequest): Promise<Approver | undefined> {
      const token = TOKEN.exec(request.headers.authorization ?? '')?.[1];
      if (!token) return undefined;
      const { rows } = await sql<{
        id: string;
        org: string;
        created_by: string;
        expires_at: Date;
        revoked_at: Date | null;
      }>`
        SELECT id, org, created_by, expires_at, revoked_at FROM hitl_approvers WHERE token_hash = ${sha256Hex(token)}`.execute(
        db,
      );
      const found = rows[0];
      if (!found || found.revoked_at || new Date(found.expires_at) <= now()) {
        throw apiError(
          'unauthenticated',
          'the approver token is unknown, revoked or expired; pair the app again',
        );
      }
      return { id: found.id, org: found.org, createdBy: found.created_by };
    },
  };
}

export type Approvers = ReturnType<typeof createApprovers>;
