import { type EventEnvelope, formatCursor, type PositionedEvent, parseCursor } from '@proofpane/core';
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { EventRange } from './projection.js';

// The questions the read side asks the events table directly: where the head is, how far behind a
// cursor sits, and, for rebuilds, where pages end and which events a range holds.

const visible = sql`tx_id < pg_snapshot_xmin(pg_current_snapshot())`;
const typeFilter = (types: readonly string[] | undefined) =>
  types && types.length > 0 ? sql`AND type = ANY(${[...types]}::text[])` : sql``;

const after = (cursor: string) => {
  const { txId, position } = parseCursor(cursor);
  return sql`(events.tx_id, events.position) > (${txId.toString()}::xid8, ${position.toString()}::bigint)`;
};

/**
 * The events in the global range (after, through], as a WHERE condition on the events table. Every
 * event up to `through` is final when `through` came from `nextPage`, so it needs no visibility test.
 */
export function inRange(range: EventRange): RawBuilder<unknown> {
  const { txId, position } = parseCursor(range.through);
  return sql`${after(range.after)}
    AND (events.tx_id, events.position) <= (${txId.toString()}::xid8, ${position.toString()}::bigint)`;
}

/**
 * Committed events after `cursor` (of the given types). Unlike a reader, this counts events a
 * reader cannot follow yet because an older transaction is still open somewhere on the server:
 * they are behind the head all the same.
 */
export async function countAfter(
  db: Kysely<unknown>,
  options: { cursor: string; types?: readonly string[] | undefined },
): Promise<number> {
  const { rows } = await sql<{ n: string }>`
    SELECT count(*) AS n FROM events WHERE ${after(options.cursor)} ${typeFilter(options.types)}`.execute(db);
  return Number(rows[0]?.n ?? 0);
}

/** The cursor of the newest event every reader can see, or null on an empty store. */
export async function headCursor(db: Kysely<unknown>): Promise<string | null> {
  const { rows } = await sql<{ tx_id: string; position: string }>`
    SELECT tx_id::text AS tx_id, position FROM events WHERE ${visible}
    ORDER BY tx_id DESC, position DESC LIMIT 1`.execute(db);
  const row = rows[0];
  return row ? `${row.tx_id}.${row.position}` : null;
}

/** A page of the global order: its range and how many events of each type it holds. */
export interface Page {
  range: EventRange;
  counts: ReadonlyMap<string, number>;
}

/**
 * The next page of at most `limit` readable events (of the given types) after `after`, or null
 * when there is none. Reads the index and the types, never a body.
 */
export async function nextPage(
  db: Kysely<unknown>,
  options: { after: string; limit: number; types?: readonly string[] | undefined },
): Promise<Page | null> {
  const { rows } = await sql<{ tx: string; position: string; type: string; n: string }>`
    WITH page AS (
      SELECT tx_id, position, type FROM events
      WHERE ${after(options.after)} AND ${visible} ${typeFilter(options.types)}
      ORDER BY tx_id, position LIMIT ${options.limit}),
    last AS (SELECT tx_id, position FROM page ORDER BY tx_id DESC, position DESC LIMIT 1)
    SELECT last.tx_id::text AS tx, last.position, page.type, count(*) AS n
    FROM page, last GROUP BY last.tx_id, last.position, page.type`.execute(db);
  const first = rows[0];
  if (!first) return null;
  return {
    range: { after: options.after, through: formatCursor(first.tx, first.position) },
    counts: new Map(rows.map((r) => [r.type, Number(r.n)])),
  };
}

/**
 * Events after `after` in global order, for replays: at most `limit`, or all up to `through`.
 * Orders by the xid8 column itself (an ORDER BY on a text alias would sort "10" before "9" and
 * defeat the index).
 */
export async function readEventsAfter(
  db: Kysely<unknown>,
  options:
    | { after: string; limit: number; types?: readonly string[] | undefined }
    | { after: string; through: string; types?: readonly string[] | undefined },
): Promise<PositionedEvent[]> {
  const range = 'through' in options ? inRange(options) : after(options.after);
  const limit = 'limit' in options ? options.limit : null;
  const { rows } = await sql<{ tx: string; position: string; body: string; hash: string }>`
    SELECT tx_id::text AS tx, position, body, hash FROM events
    WHERE ${range} AND ${visible} ${typeFilter(options.types)}
    ORDER BY events.tx_id, events.position
    LIMIT ${limit}`.execute(db);
  return rows.map((row) => {
    const event = JSON.parse(row.body) as EventEnvelope;
    event.hash = row.hash;
    return { cursor: formatCursor(row.tx, row.position), event };
  });
}
