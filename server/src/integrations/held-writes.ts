import type { SalesforceHeldWrite } from '@proofpane/api';
import { type Kysely, sql } from 'kysely';
import { LEAD_WRITE_TARGET } from './salesforce-approval.js';

/** The summary `leadWriteApproval` gives each request; the lead id and field names are read back from it. */
const SUMMARY = /^Write ([A-Za-z0-9_, ]{1,2000}) on Salesforce Lead ([A-Za-z0-9]{15,18})$/;

interface Row {
  id: string;
  summary: string;
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
 * The org's held Salesforce lead writes, newest first, from the HITL read model (itself rebuilt from the
 * `cp.hitl.*` events): nothing here is a value of the lead.
 */
export async function salesforceHeldWrites(options: {
  db: Kysely<unknown>;
  org: string;
  limit: number;
}): Promise<SalesforceHeldWrite[]> {
  const { rows } = await sql<Row>`
    SELECT id, summary, status, consumed, created_at, resolved_at, resolved_by FROM hitl_requests
    WHERE org = ${options.org} AND target = ${LEAD_WRITE_TARGET}
    ORDER BY created_at DESC, id LIMIT ${options.limit}`.execute(options.db);
  return rows.flatMap((r) => {
    const match = SUMMARY.exec(r.summary);
    if (!match) return [];
    return [
      {
        requestId: r.id,
        leadId: match[2] as string,
        fields: (match[1] as string).split(', '),
        state: stateOf(r),
        requestedAt: new Date(r.created_at).toISOString(),
        decidedAt: r.resolved_at === null ? null : new Date(r.resolved_at).toISOString(),
        decidedBy: r.status === 'expired' ? null : r.resolved_by,
      },
    ];
  });
}
