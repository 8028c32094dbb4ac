import { sql } from 'kysely';
import { inRange } from '../runner/events-table.js';
import type { Projection } from '../runner/projection.js';

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
  // The same rows, derived in the database: org, seq, type, subject and time are the store's columns
  // (written from the envelope), actor and meta are read from the body, parsed once per event.
  // No ON CONFLICT, which doubles the cost of an insert: a replayed range follows its checkpoint, so
  // a duplicate cannot occur, and if one did the insert would fail and the range go through `apply`.
  async replay({ tx, range }) {
    await sql`
      INSERT INTO audit_index (org, seq, type, subject, actor_kind, actor_id, run_id, time)
      SELECT events.org, events.seq, events.type, events.subject,
        body.actor->>'kind', body.actor->>'id', body.meta->>'runId', events.time
      FROM events, json_to_record(events.body::json) AS body(actor json, meta json)
      WHERE ${inRange(range)}`.execute(tx);
  },
};
