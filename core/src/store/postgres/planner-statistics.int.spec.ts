import { type Kysely, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../testing/databases.js';
import { noted, testCatalogue } from '../../testing/test-catalogue.js';
import { PostgresEventStore } from './postgres-event-store.js';

const sampledRows = async (db: Kysely<unknown>) =>
  (
    await sql<{ rows: number }>`
      SELECT reltuples::float8 AS rows FROM pg_class WHERE oid = 'events'::regclass`.execute(db)
  ).rows[0]!.rows;

/** The plan of a page of the common type, as a projection catching up reads it. */
const pagePlan = async (db: Kysely<unknown>) =>
  (
    await sql<{ 'QUERY PLAN': string }>`
      EXPLAIN SELECT body FROM events
      WHERE (tx_id, position) > ('0'::xid8, 0::bigint) AND type = ANY(${['cp.test.noted']}::text[])
      ORDER BY tx_id, position LIMIT 100`.execute(db)
  ).rows
    .map((row) => row['QUERY PLAN'])
    .join('\n');

async function appendNoted(store: PostgresEventStore, count: number) {
  for (let from = 0; from < count; from += 1_000) {
    const size = Math.min(1_000, count - from);
    await store.append({
      org: 'org_sampled',
      events: Array.from({ length: size }, (_, i) => noted(from + i, `item/${(from + i) % 50}`)),
    });
  }
}

describe('planner statistics on pglite (no autovacuum)', () => {
  let test: TestDatabase;
  beforeEach(async () => {
    test = await createTestDatabase('pglite');
  });
  afterEach(() => test.dispose());

  it('samples the log once it passes 10,000 events, after which pages are read in index order', async () => {
    const { db } = test.database;
    const store = await PostgresEventStore.open({ database: test.database, catalogue: testCatalogue });
    await appendNoted(store, 9_000);
    expect(await sampledRows(db)).toBe(-1);
    expect(await pagePlan(db)).toMatch(/Sort/);

    await appendNoted(store, 2_000);
    await store.close();
    expect(await sampledRows(db)).toBe(11_000);
    expect(await pagePlan(db)).toMatch(/^Limit\s+.*\n\s+->\s+Index Scan using events_global/);
  });

  it('samples at once a log it opens that was never sampled', async () => {
    const { db } = test.database;
    const first = await PostgresEventStore.open({ database: test.database, catalogue: testCatalogue });
    await appendNoted(first, 200);
    await first.close();
    expect(await sampledRows(db)).toBe(-1);

    const second = await PostgresEventStore.open({ database: test.database, catalogue: testCatalogue });
    await second.close();
    expect(await sampledRows(db)).toBe(200);
  });
});
