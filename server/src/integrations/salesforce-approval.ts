import type { Actor } from '@proofpane/core';
import { CoreError, canonicalJson, newId, sha256Hex } from '@proofpane/core';
import { type Kysely, sql } from 'kysely';
import type { HitlService } from '../hitl/service.js';
import type { HeldLeadWrite, LeadWriteApproval } from './salesforce-lead-intake.js';

export const LEAD_WRITE_TARGET = 'integration/salesforce/Lead';
/** A held write waits a week for a person, then the sweep denies it and the lead stays unwritten. */
const HOLD_SECONDS = 7 * 86_400;

export type LeadApprovalHitl = Pick<HitlService, 'request' | 'get' | 'consume'>;

interface HeldRow {
  request_id: string;
  lead_id: string;
  update_json: string;
  args_sha256: string;
}

/**
 * `approveWrites` on a Salesforce connection: each write-back is a HITL request naming the lead id and the
 * field names (never a value); the classification waits in `integration_held_writes` until the request is
 * decided. An approval is consumed before its write, so two passes racing for it write the lead once.
 */
export function leadWriteApproval(options: {
  db: Kysely<unknown>;
  hitl: LeadApprovalHitl;
  org: string;
  actor: Actor;
  connectionId: string;
  now: () => Date;
}): LeadWriteApproval {
  const { db, hitl, org, actor, connectionId } = options;
  const drop = (requestId: string) =>
    sql`DELETE FROM integration_held_writes WHERE org = ${org} AND request_id = ${requestId}`.execute(db);

  return {
    async settle() {
      const { rows } = await sql<HeldRow>`
        SELECT request_id, lead_id, update_json, args_sha256 FROM integration_held_writes
        WHERE org = ${org} AND connection_id = ${connectionId} ORDER BY created_at, request_id`.execute(db);
      const approved: HeldLeadWrite[] = [];
      const awaiting: string[] = [];
      const declined: string[] = [];
      for (const row of rows) {
        const { status } = await hitl.get({ org, requestId: row.request_id });
        if (status === 'pending') {
          awaiting.push(row.lead_id);
          continue;
        }
        if (status !== 'approved') {
          await drop(row.request_id);
          declined.push(row.lead_id);
          continue;
        }
        try {
          await hitl.consume({ org, actor, requestId: row.request_id, argsSha256: row.args_sha256 });
        } catch (error) {
          // Another pass consumed it first and writes the lead; this one leaves it alone.
          if (error instanceof CoreError && error.code === 'hitl_used') {
            await drop(row.request_id);
            continue;
          }
          throw error;
        }
        await drop(row.request_id);
        approved.push({ leadId: row.lead_id, update: JSON.parse(row.update_json) as Record<string, string> });
      }
      return { approved, awaiting, declined };
    },

    async hold(write, fields) {
      const args = { connectionId, leadId: write.leadId, fields: [...fields].sort() };
      const argsSha256 = sha256Hex(canonicalJson(args));
      const requestId = newId('hitl');
      await hitl.request({
        org,
        actor,
        requestId,
        kind: 'tool_call',
        target: LEAD_WRITE_TARGET,
        args,
        argsSha256,
        summary: `Write ${args.fields.join(', ')} on Salesforce Lead ${write.leadId}`,
        reason: 'this Salesforce connection asks a person before each write',
        rulesMatched: [],
        dlp: {},
        timeoutSeconds: HOLD_SECONDS,
        // Never by precedent: each lead's write is its own decision.
        autoApproveThreshold: Number.POSITIVE_INFINITY,
      });
      await sql`
        INSERT INTO integration_held_writes
          (org, request_id, connection_id, lead_id, update_json, args_sha256, created_at)
        VALUES (${org}, ${requestId}, ${connectionId}, ${write.leadId}, ${JSON.stringify(write.update)},
                ${argsSha256}, ${options.now()})`.execute(db);
      // The request's target as data, for the held-writes list; kept once the write is settled.
      await sql`
        INSERT INTO integration_held_write_targets (org, request_id, connection_id, lead_id, fields)
        VALUES (${org}, ${requestId}, ${connectionId}, ${write.leadId}, ${JSON.stringify(args.fields)})`.execute(
        db,
      );
    },
  };
}
