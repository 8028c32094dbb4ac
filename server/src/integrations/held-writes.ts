import type { SalesforceHeldWrite } from '@proofpane/api';
import { type Kysely, sql } from 'kysely';
import { LEAD_WRITE_TARGET } from './salesforce-approval.js';

interface Row {
  id: string;
  lead_id: string;
  fields: string;
  status: string;
  consumed: boolean;
  created_at: Date | string;
  resolved_at: Date | string | null;
  resolved_by: string | null;
}

const stateOf = (r: Row): SalesforceHeldWrite['state'] => {
  if (r.status === 'pending') return 'awaiting';
  if (r.status === 'approved') return r.consumed ? 'applied' : 'approved';
  if (r.status === 'expired') return 'expired';
  return 'declined';
};

/**
 * The org's held Salesforce lead writes, newest first: each request's state from the HITL read model (itself
 * rebuilt from the `cp.hitl.*` events), its lead id and field names from the row written when it was opened.
 * Nothing here is a value of the lead.
 */
export async function salesforceHeldWrites(options: {
  db: Kysely<unknown>;
  org: string;
  limit: number;
}): Promise<SalesforceHeldWrite[]> {
  const { rows } = await sql<Row>`
    SELECT h.id, t.lead_id, t.fields, h.status, h.consumed, h.created_at, h.resolved_at, h.resolved_by
    FROM hitl_requests h
    JOIN integration_held_write_targets t ON t.org = h.org AND t.request_id = h.id
    WHERE h.org = ${options.org} AND h.target = ${LEAD_WRITE_TARGET}
    ORDER BY h.created_at DESC, h.id LIMIT ${options.limit}`.execute(options.db);
  return rows.flatMap((r) => {
    return [
      {
        requestId: r.id,
        leadId: r.lead_id,
        fields: JSON.parse(r.fields) as string[],
        state: stateOf(r),
        requestedAt: new Date(r.created_at).toISOString(),
        decidedAt: r.resolved_at === null ? null : new Date(r.resolved_at).toISOString(),
        decidedBy: r.status === 'expired' ? null : r.resolved_by,
      },
    ];
  });
}
