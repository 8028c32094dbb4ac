import { sql } from 'kysely';
import type { Projection } from '../runner/projection.js';
import { replayAuditIndex } from './replay.js';

/** Indexes every event by org, seq, type, subject, actor, run and time. */
export const auditIndexProjection: Projection = {
  name: 'audit-index',
  version: 1,
  tables: ['audit_index'],
  async apply({ tx, events }) {
    const rows = events.map(({ event }) => event);
    await sql`
      INSERT INTO audit_index (org, seq, type, subject, actor_kind, actor_id, run_id, time)
      SELECT * FROM unnest(
        ${rows.map((e) => e.org)}::text[], ${rows.map((e) => e.seq)}::bigint[],
        ${rows.map((e) => e.type)}::text[], ${rows.map((e) => e.subject)}::text[],
        ${rows.map((e) => e.actor.kind)}::text[], ${rows.map((e) => e.actor.id)}::text[],
        ${rows.map((e) => e.meta?.runId ?? null)}::text[], ${rows.map((e) => e.time)}::timestamptz[])
      ON CONFLICT (org, seq) DO NOTHING`.execute(tx);
  },
  async replay({ tx, range }) {
    await replayAuditIndex(tx, range);
  },
};
