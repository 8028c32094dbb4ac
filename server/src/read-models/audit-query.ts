import type { AuditFilter } from '@proofpane/projections';
import { z } from 'zod';

const instant = z.iso.datetime({ offset: true });
const seq = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/** The filters of `/api/audit`, its stream and its CSV export, as query-string fields. */
export const auditFilterQuery = z.strictObject({
  type: z.string().min(1).max(200).optional().describe('type prefix, e.g. cp.llm.'),
  actor: z.string().min(1).max(200).optional().describe('actor id'),
  actorKind: z.enum(['user', 'apikey', 'device', 'agent', 'system']).optional(),
  subject: z.string().min(1).max(300).optional(),
  runId: z.string().min(1).max(200).optional(),
  from: instant.optional().describe('inclusive lower bound on the event time'),
  to: instant.optional().describe('exclusive upper bound on the event time'),
  fromSeq: seq.optional(),
  toSeq: seq.optional(),
});

export type AuditFilterQuery = z.infer<typeof auditFilterQuery>;

export function filterOf(query: AuditFilterQuery): AuditFilter {
  const { type, actor, actorKind, subject, runId, from, to, fromSeq, toSeq } = query;
  return { type, actor, actorKind, subject, runId, from, to, fromSeq, toSeq };
}

/** The filters as a query string, to state them in an export's header. */
export const describeFilter = (filter: AuditFilter): string =>
  new URLSearchParams(
    Object.entries(filter)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, String(v)]),
  ).toString();
