import { envelopeOf, formatCursor, type PositionedEvent, parseCursor } from '@proofpane/core';
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
 * event up to `through` is final when `through` came from `readPage`, so it needs no visibility test.
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
    -- Qualified: a bare tx_id would sort by the text alias, and "999" > "1000".
    ORDER BY events.tx_id DESC, events.position DESC LIMIT 1`.execute(db);
  const row = rows[0];
  return row ? `${row.tx_id}.${row.position}` : null;
}

/** A page of the global order: its range, how many events of each type it holds, and the bodies asked for. */
export interface Page {
  range: EventRange;
  counts: ReadonlyMap<string, number>;
  /** The page's events of the `bodiesOf` types, in global order. */
  events: readonly PositionedEvent[];
}

/**
 * The next page of at most `limit` readable events after `after`, or null when there is none, in
 * one pass over the index: every row brings its position and type, and only the events of
 * `bodiesOf` (every type when absent) bring their bodies. Not filtered by type: on a table the
 * planner has never sampled (PGlite has no autovacuum) a type filter makes it sort the whole rest
 * of the log for every page, while a position and a type cost little to send.
 */
export async function readPage(
  db: Kysely<unknown>,
  options: { after: string; limit: number; bodiesOf?: readonly string[] | undefined },
): Promise<Page | null> {
  const { bodiesOf } = options;
  const wanted = bodiesOf ? sql`type = ANY(${[...bodiesOf]}::text[])` : sql`true`;
  const { rows } = await sql<{
    tx: string;
    position: string;
    type: string;
    body: string | null;
    hash: string | null;
  }>`
    SELECT tx_id::text AS tx, position, type,
      CASE WHEN ${wanted} THEN body END AS body, CASE WHEN ${wanted} THEN hash END AS hash
    FROM events
    WHERE ${after(options.after)} AND ${visible}
    ORDER BY events.tx_id, events.position
    LIMIT ${options.limit}`.execute(db);
  const last = rows.at(-1);
  if (!last) return null;
  const counts = new Map<string, number>();
  const events: PositionedEvent[] = [];
  for (const row of rows) {
    counts.set(row.type, (counts.get(row.type) ?? 0) + 1);
    if (row.body !== null) events.push(positioned(row as typeof row & { body: string; hash: string }));
  }
  return { range: { after: options.after, through: formatCursor(last.tx, last.position) }, counts, events };
}

const positioned = (row: { tx: string; position: string; body: string; hash: string }): PositionedEvent => ({
  cursor: formatCursor(row.tx, row.position),
  event: envelopeOf(row),
});

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
  return rows.map(positioned);
}
