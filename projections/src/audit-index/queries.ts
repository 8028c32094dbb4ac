import { type EventEnvelope, envelopeOf } from '@proofpane/core';
import { type Kysely, type RawBuilder, sql } from 'kysely';

/** Filters shared by the audit list, its live stream and its CSV export. */
export interface AuditFilter {
  /** Type prefix: `cp.llm.` matches every LLM event; a full type matches that type only. */
  type?: string | undefined;
  actor?: string | undefined;
  actorKind?: string | undefined;
  subject?: string | undefined;
  runId?: string | undefined;
  /** Inclusive lower bound on the event time (ISO 8601). */
  from?: string | undefined;
  /** Exclusive upper bound on the event time (ISO 8601). */
  to?: string | undefined;
  fromSeq?: number | undefined;
  toSeq?: number | undefined;
}

export interface AuditPage {
  events: EventEnvelope[];
  /** Pass as `after` for the next page; null when this page is the last. */
  next: string | null;
}

const likePrefix = (prefix: string) => `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function conditions(org: string, filter: AuditFilter, afterSeq: number): RawBuilder<unknown> {
  const parts = [sql`a.org = ${org}`, sql`a.seq > ${afterSeq}`];
  if (filter.type) parts.push(sql`a.type LIKE ${likePrefix(filter.type)}`);
  if (filter.actor) parts.push(sql`a.actor_id = ${filter.actor}`);
  if (filter.actorKind) parts.push(sql`a.actor_kind = ${filter.actorKind}`);
  if (filter.subject) parts.push(sql`a.subject = ${filter.subject}`);
  if (filter.runId) parts.push(sql`a.run_id = ${filter.runId}`);
  if (filter.from) parts.push(sql`a.time >= ${filter.from}::timestamptz`);
  if (filter.to) parts.push(sql`a.time < ${filter.to}::timestamptz`);
  if (filter.fromSeq !== undefined) parts.push(sql`a.seq >= ${filter.fromSeq}`);
  if (filter.toSeq !== undefined) parts.push(sql`a.seq <= ${filter.toSeq}`);
  return sql.join(parts, sql` AND `);
}

export const parseAuditCursor = (after: string | undefined): number => {
  if (after === undefined || after === '') return 0;
  if (!/^\d{1,15}$/.test(after)) throw new RangeError(`not an audit cursor: ${after}`);
  return Number(after);
};

/** One page of an org's events matching the filter, in seq order, as full envelopes. */
export async function queryAudit(options: {
  db: Kysely<unknown>;
  org: string;
  filter: AuditFilter;
  after?: string | undefined;
  limit: number;
}): Promise<AuditPage> {
  const { db, org, filter, limit } = options;
  const { rows } = await sql<{ seq: string; body: string; hash: string }>`
    SELECT a.seq, e.body, e.hash FROM audit_index a
    JOIN events e ON e.org = a.org AND e.seq = a.seq
    WHERE ${conditions(org, filter, parseAuditCursor(options.after))}
    ORDER BY a.seq LIMIT ${limit + 1}`.execute(db);
  const page = rows.slice(0, limit);
  const next = rows.length > limit ? String(page[page.length - 1]!.seq) : null;
  return { events: page.map(envelopeOf), next };
}

export interface AuditBound {
  seq: number;
  hash: string;
}

/** First and last matching event at or below `toSeq`, to state an export's range before streaming it. */
export async function auditBounds(options: {
  db: Kysely<unknown>;
  org: string;
  filter: AuditFilter;
}): Promise<{ first: AuditBound; last: AuditBound; count: number } | null> {
  const { db, org, filter } = options;
  const { rows } = await sql<{ first: string | null; last: string | null; count: string }>`
    SELECT min(a.seq) AS first, max(a.seq) AS last, count(*) AS count FROM audit_index a
    WHERE ${conditions(org, filter, 0)}`.execute(db);
  const row = rows[0];
  if (!row?.first || !row.last) return null;
  const { rows: hashes } = await sql<{ seq: string; hash: string }>`
    SELECT seq, hash FROM events WHERE org = ${org} AND seq IN (${Number(row.first)}, ${Number(row.last)})`.execute(
    db,
  );
  const bound = (seq: number) => ({ seq, hash: hashes.find((h) => Number(h.seq) === seq)?.hash ?? '' });
  return {
    first: bound(Number(row.first)),
    last: bound(Number(row.last)),
    count: Number(row.count),
  };
}

/** Whether an envelope matches the filter: the same rules as the SQL, for live events. */
export function matchesAudit(event: EventEnvelope, filter: AuditFilter): boolean {
  if (filter.type && !event.type.startsWith(filter.type)) return false;
  if (filter.actor && event.actor.id !== filter.actor) return false;
  if (filter.actorKind && event.actor.kind !== filter.actorKind) return false;
  if (filter.subject && event.subject !== filter.subject) return false;
  if (filter.runId && event.meta?.runId !== filter.runId) return false;
  const time = Date.parse(event.time);
  if (filter.from && time < Date.parse(filter.from)) return false;
  if (filter.to && time >= Date.parse(filter.to)) return false;
  if (filter.fromSeq !== undefined && event.seq < filter.fromSeq) return false;
  if (filter.toSeq !== undefined && event.seq > filter.toSeq) return false;
  return true;
}
