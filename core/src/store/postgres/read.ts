import { type Kysely, sql } from 'kysely';
import type { EventEnvelope, PositionedEvent } from '../../events/envelope.js';
import { compareCursors, formatCursor, parseCursor, START_CURSOR } from '../cursor.js';
import type { OrgHead, ReadAllOptions } from '../event-store.js';
import { type EventRow, envelopeOf } from './rows.js';

const DEFAULT_LIMIT = 1_000;

/** Only transactions no running transaction can precede: the global order never gains a gap behind a reader. */
const visible = sql`tx_id < pg_snapshot_xmin(pg_current_snapshot())`;

export async function readHead(db: Kysely<unknown>, org: string): Promise<OrgHead | null> {
  const { rows } = await sql<{ seq: string; hash: string }>`
    SELECT seq, hash FROM events WHERE org = ${org} ORDER BY seq DESC LIMIT 1`.execute(db);
  const row = rows[0];
  return row ? { seq: Number(row.seq), hash: row.hash } : null;
}

/** Raw rows of an org by seq, for verification (which must see exactly what is stored). */
export async function readOrgRows(
  db: Kysely<unknown>,
  options: { org: string; fromSeq: number; toSeq: number; limit: number },
): Promise<EventRow[]> {
  const { rows } = await sql<EventRow>`
    SELECT org, seq, body, hash FROM events
    WHERE org = ${options.org} AND seq >= ${options.fromSeq} AND seq <= ${options.toSeq}
    ORDER BY seq LIMIT ${options.limit}`.execute(db);
  return rows;
}

export async function readOrg(
  db: Kysely<unknown>,
  options: { org: string; fromSeq?: number; toSeq?: number; limit?: number },
): Promise<EventEnvelope[]> {
  const rows = await readOrgRows(db, {
    org: options.org,
    fromSeq: options.fromSeq ?? 1,
    toSeq: options.toSeq ?? Number.MAX_SAFE_INTEGER,
    limit: options.limit ?? DEFAULT_LIMIT,
  });
  return rows.map(envelopeOf);
}

/**
 * The events after each given seq of each given org, at most `limitPerOrg` per org, in seq order per
 * org. No snapshot-xmin gate: an org's appends hold its lock until they commit, so when seq n is
 * visible every seq below it is too.
 */
export async function readOrgsAfter(
  db: Kysely<unknown>,
  positions: ReadonlyMap<string, number>,
  limitPerOrg: number,
): Promise<EventEnvelope[]> {
  if (positions.size === 0) return [];
  const { rows } = await sql<EventRow>`
    SELECT e.org, e.seq, e.body, e.hash
    FROM unnest(${[...positions.keys()]}::text[], ${[...positions.values()]}::bigint[]) AS p(org, after_seq)
    CROSS JOIN LATERAL (
      SELECT org, seq, body, hash FROM events
      WHERE org = p.org AND seq > p.after_seq
      ORDER BY seq LIMIT ${limitPerOrg}
    ) e`.execute(db);
  return rows.map(envelopeOf);
}

export async function readSubject(
  db: Kysely<unknown>,
  options: { org: string; subject: string },
): Promise<EventEnvelope[]> {
  const { rows } = await sql<EventRow>`
    SELECT org, seq, body, hash FROM events
    WHERE org = ${options.org} AND subject = ${options.subject}
    ORDER BY subject_version`.execute(db);
  return rows.map(envelopeOf);
}

interface GlobalRow {
  tx_id: string;
  position: string;
  body: string;
  hash: string;
}

const positioned = (row: GlobalRow): PositionedEvent => ({
  cursor: formatCursor(row.tx_id, row.position),
  event: envelopeOf(row),
});

/** Global order, restricted to transactions no running transaction can precede. */
export async function readAll(db: Kysely<unknown>, options: ReadAllOptions = {}): Promise<PositionedEvent[]> {
  const { txId, position } = parseCursor(options.after);
  const limit = options.limit ?? DEFAULT_LIMIT;
  const typeFilter =
    options.types && options.types.length > 0 ? sql`AND type = ANY(${[...options.types]}::text[])` : sql``;
  const { rows } = await sql<GlobalRow>`
    SELECT tx_id::text AS tx_id, position, body, hash FROM events
    WHERE (tx_id, position) > (${txId.toString()}::xid8, ${position.toString()}::bigint)
      AND ${visible}
      ${typeFilter}
    ORDER BY events.tx_id, events.position
    LIMIT ${limit}`.execute(db);
  return rows.map(positioned);
}

/**
 * A page of `readAll` and the cursor to continue from. A type-filtered page that is not full has
 * looked at every visible event up to the newest one, matching or not: continuing from there keeps a
 * reader of rare types (HITL, agent runs) from rescanning the whole tail of the log on every read.
 * The newest visible position is read by the same statement, so nothing commits between the two.
 */
export async function readPage(
  db: Kysely<unknown>,
  options: ReadAllOptions = {},
): Promise<{ events: PositionedEvent[]; next: string | undefined }> {
  if (!options.types || options.types.length === 0) {
    const events = await readAll(db, options);
    return { events, next: events.at(-1)?.cursor };
  }
  const { txId, position } = parseCursor(options.after);
  const limit = options.limit ?? DEFAULT_LIMIT;
  const { rows } = await sql<{
    tx_id: string | null;
    position: string | null;
    body: string | null;
    hash: string | null;
    newest_tx_id: string;
    newest_position: string;
  }>`
    WITH newest AS (
      SELECT tx_id, position FROM events
      WHERE ${visible}
      ORDER BY tx_id DESC, position DESC LIMIT 1
    )
    SELECT e.tx_id::text AS tx_id, e.position, e.body, e.hash,
      n.tx_id::text AS newest_tx_id, n.position AS newest_position
    FROM newest n LEFT JOIN LATERAL (
      SELECT tx_id, position, body, hash FROM events
      WHERE (tx_id, position) > (${txId.toString()}::xid8, ${position.toString()}::bigint)
        AND (tx_id, position) <= (n.tx_id, n.position)
        AND type = ANY(${[...options.types]}::text[])
      ORDER BY tx_id, position
      LIMIT ${limit}
    ) e ON true`.execute(db);
  const events = rows.filter((row): row is typeof row & GlobalRow => row.tx_id !== null).map(positioned);
  const newest = rows[0];
  if (events.length === limit || !newest) return { events, next: events.at(-1)?.cursor };
  const scanned = formatCursor(newest.newest_tx_id, newest.newest_position);
  return {
    events,
    next: compareCursors(scanned, options.after ?? START_CURSOR) > 0 ? scanned : options.after,
  };
}

/** Skips from org to org along the (org, seq) index: one probe per org, not a scan of the log. */
export async function listOrgs(db: Kysely<unknown>): Promise<string[]> {
  const { rows } = await sql<{ org: string }>`
    WITH RECURSIVE orgs AS (
      (SELECT org FROM events ORDER BY org LIMIT 1)
      UNION ALL
      SELECT (SELECT e.org FROM events e WHERE e.org > orgs.org ORDER BY e.org LIMIT 1)
      FROM orgs WHERE orgs.org IS NOT NULL
    )
    SELECT org FROM orgs WHERE org IS NOT NULL`.execute(db);
  return rows.map((r) => r.org);
}

export async function readHashes(
  db: Kysely<unknown>,
  options: { org: string; fromSeq?: number; toSeq: number },
): Promise<string[]> {
  const out: string[] = [];
  const page = 50_000;
  for (let from = options.fromSeq ?? 1; from <= options.toSeq; from += page) {
    const to = Math.min(options.toSeq, from + page - 1);
    const { rows } = await sql<{ hash: string }>`
      SELECT hash FROM events WHERE org = ${options.org} AND seq BETWEEN ${from} AND ${to} ORDER BY seq`.execute(
      db,
    );
    for (const row of rows) out.push(row.hash);
    if (rows.length < to - from + 1) break;
  }
  return out;
}

export async function readLatestCursor(db: Kysely<unknown>): Promise<string> {
  const { rows } = await sql<{ tx_id: string; position: string }>`
    SELECT tx_id::text AS tx_id, position FROM events
    WHERE ${visible}
    ORDER BY events.tx_id DESC, events.position DESC LIMIT 1`.execute(db);
  const row = rows[0];
  return row ? formatCursor(row.tx_id, row.position) : '0.0';
}

/**
 * Rows for verification as one text each (`<seq> <hash> <body>`): a third of the per-field
 * decoding, which dominates reading on the embedded driver.
 */
export async function readChainRows(
  db: Kysely<unknown>,
  options: { org: string; fromSeq: number; toSeq: number; limit: number },
): Promise<{ seq: number; hash: string; body: string }[]> {
  const { rows } = await sql<{ r: string }>`
    SELECT seq::text || ' ' || hash || ' ' || body AS r FROM events
    WHERE org = ${options.org} AND seq >= ${options.fromSeq} AND seq <= ${options.toSeq}
    ORDER BY seq LIMIT ${options.limit}`.execute(db);
  return rows.map(({ r }) => {
    const space = r.indexOf(' ');
    return {
      seq: Number(r.slice(0, space)),
      hash: r.slice(space + 1, space + 65),
      body: r.slice(space + 66),
    };
  });
}
