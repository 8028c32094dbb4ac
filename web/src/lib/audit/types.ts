/** An event as `/api/audit` and its stream return it: the hashed envelope (docs/event-chain.md). */
export interface AuditEvent {
  org: string;
  seq: number;
  id: string;
  type: string;
  subject: string;
  subjectVersion: number;
  time: string;
  actor: { kind: 'user' | 'apikey' | 'device' | 'agent' | 'system'; id: string };
  data: Record<string, unknown>;
  meta: Record<string, string | undefined>;
  prev: string;
  hash: string;
}

/** The filters Mission Control sends as query fields to the list, the stream and the CSV export. */
export interface AuditFilter {
  type?: string;
  actor?: string;
  subject?: string;
  runId?: string;
  from?: string;
  to?: string;
}

export const filterQuery = (filter: AuditFilter): Record<string, string> =>
  Object.fromEntries(
    Object.entries(filter).filter(([, v]) => typeof v === 'string' && v.trim() !== ''),
  ) as Record<string, string>;
