import type { Database } from '@proofpane/core';
import { sql } from 'kysely';
import { percentile } from './support.js';

/** About the size of one outcome append's rows: the event body with its hashes. */
const BODY = JSON.stringify({ type: 'cp.llm.call.completed', data: { text: 'x'.repeat(900) } });

/**
 * The least a gateway that commits its outcome before it answers must add at concurrency 1: one
 * transaction that inserts one event-sized row and commits it durably, on the same database, one after
 * another. Everything else the governed call does comes on top of this.
 */
export async function commitFloor(
  database: Database,
  iterations = 300,
): Promise<{ p50: number; p99: number }> {
  const { db } = database;
  await sql`CREATE TABLE IF NOT EXISTS bench_commit_floor (id bigserial PRIMARY KEY, body jsonb NOT NULL)`.execute(
    db,
  );
  try {
    const times: number[] = [];
    for (let i = 0; i < iterations; i++) {
      const started = performance.now();
      await db
        .transaction()
        .execute((trx) => sql`INSERT INTO bench_commit_floor (body) VALUES (${BODY}::jsonb)`.execute(trx));
      times.push(performance.now() - started);
    }
    return { p50: percentile(times, 50), p99: percentile(times, 99) };
  } finally {
    await sql`DROP TABLE bench_commit_floor`.execute(db);
  }
}
