import type { EventData, EventEnvelope } from '@proofpane/core';
import { sql, type Transaction } from 'kysely';
import type { HitlRow } from './tables.js';

/**
 * The queue row each decided HITL event implies, written in the append's transaction (so an event
 * never lands without its row, nor a row without its event). `at` is the command's clock, which the
 * row's instants keep; `proofpane rebuild-tables hitl` derives the same columns from the events.
 * Returns the request's row as it now stands.
 */
export async function writeHitlRows(
  trx: Transaction<unknown>,
  events: readonly EventEnvelope[],
  at: Date,
): Promise<HitlRow | undefined> {
  let row: HitlRow | undefined;
  for (const event of events) row = (await writeRow(trx, event, at)) ?? row;
  return row;
}

async function writeRow(trx: Transaction<unknown>, event: EventEnvelope, at: Date) {
  const where = (requestId: string) => sql`WHERE org = ${event.org} AND id = ${requestId}`;
  const one = async (query: ReturnType<typeof sql<HitlRow>>) => (await query.execute(trx)).rows[0];
  switch (event.type) {
    case 'cp.hitl.requested': {
      const d = event.data as EventData<'cp.hitl.requested'>;
      const context = {
        rulesMatched: d.rulesMatched,
        dlp: d.dlp,
        ...(d.agent ? { agent: d.agent } : {}),
        ...(d.choices ? { choices: d.choices } : {}),
      };
      return one(sql<HitlRow>`INSERT INTO hitl_requests (id, org, kind, target, args_sha256, arg_class, risk,
          summary, reason, context, status, created_at, expires_at)
        VALUES (${d.requestId}, ${event.org}, ${d.kind}, ${d.target}, ${d.argsSha256}, ${d.argClass}, ${d.risk},
          ${d.summary}, ${d.reason}, ${JSON.stringify(context)}, 'pending', ${at}, ${new Date(d.expiresAt)})
        RETURNING *`);
    }
    case 'cp.hitl.resolved': {
      const d = event.data as EventData<'cp.hitl.resolved'>;
      return one(sql<HitlRow>`UPDATE hitl_requests SET status = ${d.decision === 'approve' ? 'approved' : 'denied'},
          resolved_at = ${at}, decision = ${d.decision}, remember = ${d.remember}, note = ${d.note ?? null},
          resolved_by = ${event.actor.id}, auto = ${d.auto}
        ${where(d.requestId)} RETURNING *`);
    }
    case 'cp.hitl.expired': {
      const d = event.data as EventData<'cp.hitl.expired'>;
      return one(sql<HitlRow>`UPDATE hitl_requests SET status = 'expired', resolved_at = ${at}, decision = 'deny',
          resolved_by = ${event.actor.id}
        ${where(d.requestId)} RETURNING *`);
    }
    case 'cp.hitl.consumed': {
      const d = event.data as EventData<'cp.hitl.consumed'>;
      return one(sql<HitlRow>`UPDATE hitl_requests SET consumed = true ${where(d.requestId)} RETURNING *`);
    }
    case 'cp.hitl.precedent.revoked': {
      const d = event.data as EventData<'cp.hitl.precedent.revoked'>;
      return one(
        sql<HitlRow>`UPDATE hitl_requests SET precedent_revoked = true ${where(d.requestId)} RETURNING *`,
      );
    }
    default:
      return undefined;
  }
}
