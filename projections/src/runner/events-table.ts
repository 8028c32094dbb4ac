import { type EventEnvelope, formatCursor, type PositionedEvent, parseCursor } from '@proofpane/core';
import { type Kysely, sql } from 'kysely';

// The few questions the read side asks the events table directly: where the head is and how far behind a cursor sits.

const visible = sql`tx_id < pg_snapshot_xmin(pg_current_snapshot())`;
const typeFilter = (types: readonly string[] | undefined) =>
  types && types.length > 0 ? sql`AND type = ANY(${[...types]}::text[])` : sql``;

/**
 * Committed events after `cursor` (of the given types). Unlike a reader, this counts events a
 * reader cannot follow yet because an older transaction is still open somewhere on the server:
 * they are behind the head all the same.
 */
export async function countAfter(
  db: Kysely<unknown>,
  options: { cursor: string; types?: readonly string[] | undefined },
): Promise<number> {
  const { txId, position } = parseCursor(options.cursor);
  const { rows } = await sql<{ n: string }>`
    SELECT count(*) AS n FROM events
    WHERE (tx_id, position) > (${txId.toString()}::xid8, ${position.toString()}::bigint)
      ${typeFilter(options.types)}`.execute(db);
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

/**
 * Events after `after` in global order, for replays. Orders by the xid8 column itself (an
 * ORDER BY on a text alias would sort "10" before "9" and defeat the index).
 */
export async function readEventsAfter(
  db: Kysely<unknown>,
  options: { after: string; limit: number; types?: readonly string[] | undefined },
): Promise<PositionedEvent[]> {
  const { txId, position } = parseCursor(options.after);
  const { rows } = await sql<{ tx: string; position: string; body: string; hash: string }>`
    SELECT tx_id::text AS tx, position, body, hash FROM events
    WHERE (tx_id, position) > (${txId.toString()}::xid8, ${position.toString()}::bigint)
      AND ${visible} ${typeFilter(options.types)}
    ORDER BY events.tx_id, events.position
    LIMIT ${options.limit}`.execute(db);
  return rows.map((row) => {
    const event = JSON.parse(row.body) as EventEnvelope;
    event.hash = row.hash;
    return { cursor: formatCursor(row.tx, row.position), event };
  });
}
