import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createTestDatabase, holdOlderTransaction, testDrivers } from '../../testing/databases.js';
import { eventStoreContract, sqlTamperHooks } from '../../testing/event-store-contract.js';
import { noted, testCatalogue } from '../../testing/test-catalogue.js';
import { PostgresEventStore } from './postgres-event-store.js';
import { readPage } from './read.js';

for (const driver of testDrivers) {
  eventStoreContract(`postgres adapter on ${driver}`, async () => {
    const test = await createTestDatabase(driver);
    const store = await PostgresEventStore.open({
      database: test.database,
      catalogue: testCatalogue,
      pollMs: 50,
    });
    return {
      store,
      openPeer: () =>
        PostgresEventStore.open({ database: test.database, catalogue: testCatalogue, pollMs: 50 }),
      database: test.database,
      tamper: sqlTamperHooks(test.database),
      inlineDatabase: test.database.db,
      dispose: async () => {
        await store.close();
        await test.dispose();
      },
    };
  });

  // The same contract on an events table hash-partitioned by org (PROOFPANE_EVENTS_PARTITIONS).
  if (driver === 'postgres')
    eventStoreContract('postgres adapter on postgres, events partitioned by org', async () => {
      const test = await createTestDatabase(driver);
      const open = () =>
        PostgresEventStore.open({
          database: test.database,
          catalogue: testCatalogue,
          pollMs: 50,
          partitions: 4,
        });
      const store = await open();
      return {
        store,
        openPeer: open,
        database: test.database,
        tamper: sqlTamperHooks(test.database),
        inlineDatabase: test.database.db,
        dispose: async () => {
          await store.close();
          await test.dispose();
        },
      };
    });

  if (driver === 'postgres')
    describe('postgres adapter on postgres, events partitioned by org: the layout', () => {
      it('spreads orgs over the partitions, keeps each append-only, and refuses truncating one', async () => {
        const test = await createTestDatabase(driver);
        const store = await PostgresEventStore.open({
          database: test.database,
          catalogue: testCatalogue,
          partitions: 4,
        });
        try {
          for (let i = 0; i < 12; i++) await store.append({ org: `org_part_${i}`, events: [noted(i)] });
          const { rows } = await sql<{ partition: string; count: string }>`
            SELECT tableoid::regclass::text AS partition, count(*)::text AS count FROM events GROUP BY 1`.execute(
            test.database.db,
          );
          expect(rows.length).toBeGreaterThan(1);
          expect(rows.every((r) => /^events_p[0-3]$/.test(r.partition))).toBe(true);
          await expect(sql`TRUNCATE events_p0`.execute(test.database.db)).rejects.toThrow(/append-only/);
          await expect(
            sql`DELETE FROM events WHERE org = 'org_part_1'`.execute(test.database.db),
          ).rejects.toThrow(/append-only/);
          for (let i = 0; i < 12; i++)
            expect((await store.verifyChain({ org: `org_part_${i}` })).ok).toBe(true);
        } finally {
          await store.close();
          await test.dispose();
        }
      });
    });

  describe(`postgres adapter on ${driver}: type-filtered reads`, () => {
    it('continue after the newest event they looked at, not after the last one that matched', async () => {
      const test = await createTestDatabase(driver);
      const store = await PostgresEventStore.open({ database: test.database, catalogue: testCatalogue });
      try {
        const flagged = {
          type: 'cp.test.flagged' as const,
          subject: 'item/flag',
          data: { reason: 'rare' },
          actor: { kind: 'system' as const, id: 'test' },
        };
        await store.append({ org: 'org_rare', events: [flagged] });
        await store.append({ org: 'org_rare', events: [noted(1), noted(2), noted(3)] });
        const types = ['cp.test.flagged'];
        const first = await readPage(test.database.db, { types, limit: 10 });
        expect(first.events.map((p) => p.event.type)).toEqual(['cp.test.flagged']);
        // Every event up to the newest was examined: the page continues after the last `noted`.
        expect(first.next).toBe(await store.latestCursor());
        const again = await readPage(test.database.db, { types, after: first.next!, limit: 10 });
        expect(again).toEqual({ events: [], next: first.next });

        // A full page continues after its own last event, so the rest is still read.
        await store.append({ org: 'org_rare', events: [flagged, noted(4), flagged] });
        const full = await readPage(test.database.db, { types, after: first.next!, limit: 1 });
        expect(full.events).toHaveLength(1);
        expect(full.next).toBe(full.events[0]!.cursor);
        const rest = await readPage(test.database.db, { types, after: full.next!, limit: 1 });
        expect(rest.events.map((p) => p.event.seq)).toEqual([7]);

        const delivered: number[] = [];
        const subscription = store.subscribe({
          types,
          onEvents: (batch) => {
            delivered.push(...batch.map((p) => p.event.seq));
          },
        });
        await expect.poll(() => delivered).toEqual([1, 5, 7]);
        await subscription.close();
      } finally {
        await store.close();
        await test.dispose();
      }
    });
  });

  // Needs a second session, which PGlite (one connection) cannot have.
  if (driver === 'postgres')
    describe(`postgres adapter on ${driver}: live reads`, () => {
      /** Runs `check` while another session holds a transaction that already has an id. */
      async function withOlderTransactionOpen(
        check: (store: PostgresEventStore, release: () => Promise<void>) => Promise<void>,
      ) {
        const test = await createTestDatabase(driver);
        const store = await PostgresEventStore.open({
          database: test.database,
          catalogue: testCatalogue,
          pollMs: 10_000,
        });
        const older = await holdOlderTransaction(test.database);
        try {
          await check(store, older.release);
        } finally {
          await older.release();
          await store.close();
          await test.dispose();
        }
      }

      it('deliver a commit held back by an older open transaction as soon as it ends, not a poll later', async () => {
        await withOlderTransactionOpen(async (store, release) => {
          const delivered: number[] = [];
          const subscription = store.subscribe({
            after: await store.latestCursor(),
            onEvents: (batch) => {
              delivered.push(...batch.map((p) => p.event.seq));
            },
          });
          await store.append({ org: 'org_held', events: [noted(1)] });
          await new Promise((resolve) => setTimeout(resolve, 100));
          expect(delivered).toEqual([]);
          await release();
          await expect.poll(() => delivered, { timeout: 2_000 }).toEqual([1]);
          await subscription.close();
        });
      });

      it('follow an org past an older open transaction: its seqs commit in order', async () => {
        await withOlderTransactionOpen(async (store) => {
          const delivered: number[] = [];
          const positions = new Map([['org_followed', 0]]);
          const follower = store.followOrgs({
            positions: () => positions,
            onEvents: (events) => {
              delivered.push(...events.map((e) => e.seq));
              positions.set('org_followed', events.at(-1)!.seq);
            },
          });
          await store.append({ org: 'org_followed', events: [noted(1)] });
          await store.append({ org: 'org_followed', events: [noted(2)] });
          await expect.poll(() => delivered, { timeout: 1_000 }).toEqual([1, 2]);
          await follower.close();
        });
      });
    });

  describe(`postgres adapter on ${driver}: schema`, () => {
    it('opens an existing store again without touching its events (migrations run once)', async () => {
      const test = await createTestDatabase(driver);
      try {
        const first = await PostgresEventStore.open({ database: test.database, catalogue: testCatalogue });
        const [appended] = await first.append({ org: 'org_reopen', events: [noted(1)] });
        await first.close();
        const again = await PostgresEventStore.open({ database: test.database, catalogue: testCatalogue });
        expect(await again.readOrg({ org: 'org_reopen' })).toEqual([appended]);
        expect(await again.verifyChain({ org: 'org_reopen' })).toMatchObject({ ok: true, checked: 1 });
        await again.close();
      } finally {
        await test.dispose();
      }
    });
  });
}
