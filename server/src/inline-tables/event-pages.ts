import { type EventEnvelope, envelopeOf } from '@proofpane/core';
import { type Kysely, sql } from 'kysely';

const PAGE = 1_000;

/** Where a page read ends: an org and the last seq read in it. */
export interface OrgPosition {
  org: string;
  seq: number;
}

/** One page of the events of `types` after `after`, by org then seq. */
export async function readOrgEventPage(
  trx: Kysely<unknown>,
  options: { types: readonly string[]; after?: OrgPosition | undefined; limit?: number },
): Promise<EventEnvelope[]> {
  const after = options.after ?? { org: '', seq: 0 };
  const { rows } = await sql<{ org: string; seq: string; body: string; hash: string }>`
    SELECT org, seq, body, hash FROM events
    WHERE type = ANY(${[...options.types]}::text[]) AND (org, seq) > (${after.org}, ${after.seq})
    ORDER BY org, seq LIMIT ${options.limit ?? PAGE}`.execute(trx);
  return rows.map(envelopeOf);
}

/**
 * The events of the given types, each org's in seq order (its chain order), read through the rebuild's
 * own transaction. On PGlite that transaction holds the one connection, so reading through the store
 * instead would wait for it forever; on PostgreSQL it also means the rows are rebuilt from the events
 * the transaction sees, with no append slipping in between the read and the write.
 */
export async function* orgEventPages(
  trx: Kysely<unknown>,
  types: readonly string[],
  limit = PAGE,
): AsyncGenerator<EventEnvelope[]> {
  let after: OrgPosition | undefined;
  for (;;) {
    const page = await readOrgEventPage(trx, { types, after, limit });
    if (page.length === 0) return;
    yield page;
    const last = page.at(-1)!;
    after = { org: last.org, seq: last.seq };
    if (page.length < limit) return;
  }
}

/** Folds every event of `types` with `apply`; returns how many were read. */
export async function foldEvents(
  trx: Kysely<unknown>,
  types: readonly string[],
  apply: (event: EventEnvelope) => void,
): Promise<number> {
  let read = 0;
  for await (const page of orgEventPages(trx, types)) {
    for (const event of page) apply(event);
    read += page.length;
  }
  return read;
}
