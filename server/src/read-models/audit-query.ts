import type { AuditFilterQuery } from '@proofpane/api';
import type { AuditFilter } from '@proofpane/projections';

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
