import { START_CURSOR } from '@proofpane/core';
import { type Kysely, sql } from 'kysely';
import type { Projection } from './projection.js';

export interface Checkpoint {
  name: string;
  version: number;
  cursor: string;
}

export async function readCheckpoint(db: Kysely<unknown>, name: string): Promise<Checkpoint | null> {
  const { rows } = await sql<Checkpoint>`
    SELECT name, version, cursor FROM projection_checkpoints WHERE name = ${name}`.execute(db);
  return rows[0] ?? null;
}

/**
 * For rebuild transactions: commit without waiting for the WAL flush. Safe because the checkpoint
 * commits with the writes, so a tail lost in a crash is simply replayed on the next start.
 */
export async function commitWithoutFlush(tx: Kysely<unknown>): Promise<void> {
  await sql`SET LOCAL synchronous_commit = off`.execute(tx);
}

/**
 * Moves the checkpoint from `expected` to `cursor` when it still stands there at the projection's
 * version, and reports whether it did. Inside a transaction the row stays locked until the end, so
 * two runners never apply the same batch: the second waits, then finds the checkpoint moved.
 */
export async function moveCheckpoint(
  db: Kysely<unknown>,
  projection: Pick<Projection, 'name' | 'version'>,
  move: { expected: string; cursor: string },
): Promise<boolean> {
  const { rows } = await sql`
    UPDATE projection_checkpoints SET cursor = ${move.cursor}, updated_at = now()
    WHERE name = ${projection.name} AND cursor = ${move.expected} AND version = ${projection.version}
    RETURNING 1`.execute(db);
  return rows.length === 1;
}

/**
 * Empties a projection's tables and failures and rewinds it to the start, all in one transaction,
 * committed without waiting for the WAL flush: a reset lost in a crash leaves the tables and the
 * checkpoint as they were, and the next start resets again.
 */
export async function resetProjection(db: Kysely<unknown>, projection: Projection): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await commitWithoutFlush(tx);
    await sql`SELECT pg_advisory_xact_lock(hashtextextended(${projection.name}, 7301))`.execute(tx);
    for (const table of projection.tables) await sql`TRUNCATE ${sql.table(table)}`.execute(tx);
    await sql`DELETE FROM projection_failures WHERE projection = ${projection.name}`.execute(tx);
    await sql`
      INSERT INTO projection_checkpoints (name, version, cursor, updated_at)
      VALUES (${projection.name}, ${projection.version}, ${START_CURSOR}, now())
      ON CONFLICT (name) DO UPDATE SET version = excluded.version, cursor = excluded.cursor,
        updated_at = excluded.updated_at`.execute(tx);
  });
}

/** Rebuilds from scratch when the stored version differs from the declared one (or none is stored). */
export async function ensureVersion(db: Kysely<unknown>, projection: Projection): Promise<Checkpoint> {
  const stored = await readCheckpoint(db, projection.name);
  if (stored && stored.version === projection.version) return stored;
  await resetProjection(db, projection);
  return { name: projection.name, version: projection.version, cursor: START_CURSOR };
}
