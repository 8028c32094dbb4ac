import { type Kysely, sql } from 'kysely';
import { inRange } from '../runner/events-table.js';
import type { EventRange } from '../runner/projection.js';

/*
 * The audit index of a range, derived inside the database: org, seq, type, subject and time are the
 * store's columns (written from the envelope); the actor and meta.runId come from the body.
 *
 * Parsing each body as JSON costs more than the insert, so the body's canonical form (JCS: members
 * sorted, strings escaped with a backslash) is read by position, and a row whose text is not
 * plainly that shape is parsed as JSON instead:
 * - it opens with `{"actor":{"id":"<id>","kind":"<kind>"},"data":`: the id and kind are the 6th and
 *   10th quote-separated fields, taken as they are when they hold no backslash (no escapes);
 * - `,"meta":` holds quotes a string cannot hold unescaped, so it marks a key: when it occurs once,
 *   it is the envelope's own, and its object runs to `,"org":"`, which ends it unless a key of the
 *   meta itself is "org" (the slice then ends inside the object, on a quote, not on `}`).
 * No ON CONFLICT, which doubles the cost of an insert: a replayed range follows its checkpoint, so a
 * duplicate cannot occur, and if one did the insert would fail and the range go through `apply`.
 */
export async function replayAuditIndex(tx: Kysely<unknown>, range: EventRange): Promise<void> {
  await sql`
    INSERT INTO audit_index (org, seq, type, subject, actor_kind, actor_id, run_id, time)
    SELECT org, seq, type, subject,
      CASE WHEN plain_actor THEN actor_kind ELSE body::json->'actor'->>'kind' END,
      CASE WHEN plain_actor THEN actor_id ELSE body::json->'actor'->>'id' END,
      CASE WHEN plain_meta THEN meta::json->>'runId' ELSE body::json->'meta'->>'runId' END,
      time
    FROM (
      SELECT *,
        strpos(actor_id, '\\') = 0 AND strpos(actor_kind, '\\') = 0
          AND starts_with(body, '{"actor":{"id":"' || actor_id || '","kind":"' || actor_kind || '"},"data":')
          AS plain_actor,
        split_part(body, ',"meta":', 3) = '' AND right(meta, 1) = '}' AS plain_meta
      FROM (
        SELECT org, seq, type, subject, time, body,
          split_part(body, '"', 6) AS actor_id, split_part(body, '"', 10) AS actor_kind,
          split_part(split_part(body, ',"meta":', 2), ',"org":"', 1) AS meta
        FROM events WHERE ${inRange(range)}
      ) fields
    ) checked`.execute(tx);
}
