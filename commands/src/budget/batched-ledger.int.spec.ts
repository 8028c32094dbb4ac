import type { EventEnvelope } from '@proofpane/core';
import { type Database, openDatabase, PostgresEventStore } from '@proofpane/core';
import { createTestDatabase, type TestDatabase, testDrivers } from '@proofpane/core/testing';
import { type Kysely, type KyselyPlugin, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAST_COMMIT_CONFLICT, fastCommit } from './fast-commit.js';
import {
  type BudgetLedger,
  createBudgetLedger,
  emptyBudgetModel,
  evolveBudget,
  migrateBudget,
  newlyCrossed,
  type ReserveOutcome,
  type SettleOutcome,
  withBatchedLedger,
} from './index.js';

const NOW = new Date('2026-03-10T12:00:00Z');
const HOUR = 3_600;

/** Counts what a Kysely handle sends: statements, and transactions (each a BEGIN and a COMMIT). */
function counted(db: Kysely<unknown>) {
  const counts = { statements: 0, transactions: 0 };
  const plugin: KyselyPlugin = {
    transformQuery: ({ node }) => {
      counts.statements += 1;
      return node;
    },
    transformResult: async ({ result }) => result,
  };
  const withCounter = db.withPlugin(plugin);
  const handle = new Proxy(withCounter, {
    get(target, key) {
      if (key === 'transaction' || key === 'startTransaction') counts.transactions += 1;
      const value = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return {
    db: handle,
    counts,
    reset() {
      counts.statements = 0;
      counts.transactions = 0;
    },
  };
}

const monthRow = async (db: Kysely<unknown>, org: string) =>
  (
    await sql<{ spent: string; reserved: string; alerted: number; version: string }>`
      SELECT spent_micros::text AS spent, reserved_micros::text AS reserved, alerted, version::text AS version
      FROM budget_months WHERE org = ${org} AND month = '2026-03'`.execute(db)
  ).rows[0];

for (const driver of testDrivers) {
  describe(`batched budget ledger fast path on ${driver}`, () => {
    let test: TestDatabase;
    let second: Database;
    let ledger: BudgetLedger;
    /** A ledger of another process: its own database handle (pool) where the driver has one. */
    let other: BudgetLedger;
    beforeAll(async () => {
      test = await createTestDatabase(driver);
      // The budget's trigger lives on the events table, which the store creates.
      await (await PostgresEventStore.open({ database: test.database })).close();
      await migrateBudget(test.database.db);
      second = driver === 'postgres' ? await openDatabase({ url: test.url!, poolSize: 10 }) : test.database;
      ledger = createBudgetLedger({ db: test.database.db });
      other = createBudgetLedger({ db: second.db });
    });
    afterAll(async () => {
      if (second !== test.database) await second.close();
      await test.dispose();
    });

    it('commits all or nothing: a stale month version rolls back a settlement the function already made', async () => {
      const org = 'org_atomic';
      await ledger.reserve({ org, reservationId: 'a1', amountMicros: 100, now: NOW, ttlSeconds: HOUR });
      const row = (await monthRow(test.database.db, org))!;
      const commit = (version: number) =>
        fastCommit(test.database.db, {
          org,
          cap: null,
          months: new Map([['2026-03', { spent: 70, reserved: 0, alerted: 0, version }]]),
          settles: [{ org, reservationId: 'a1', actualMicros: 70, now: NOW }],
          accepted: [],
        });
      await expect(commit(Number(row.version) - 1)).rejects.toMatchObject({ code: FAST_COMMIT_CONFLICT });
      const { rows } = await sql<{ state: string }>`
        SELECT state FROM budget_reservations WHERE org = ${org} AND id = 'a1'`.execute(test.database.db);
      expect(rows).toEqual([{ state: 'open' }]);
      expect(await monthRow(test.database.db, org)).toEqual(row);
      await commit(Number(row.version));
      expect(await monthRow(test.database.db, org)).toMatchObject({
        spent: '70',
        reserved: '0',
        version: String(Number(row.version) + 1),
      });
    });

    it('decides a steady-state batch with exactly one statement and no transaction', async () => {
      const org = 'org_count';
      const counter = counted(test.database.db);
      const batched = withBatchedLedger({ ledger, db: counter.db });
      await ledger.setCap({ org, capMicros: 1_000, now: NOW });
      const reserve = (id: string, amountMicros = 100) =>
        batched.reserve({ org, reservationId: id, amountMicros, now: NOW, ttlSeconds: HOUR });
      const settle = (id: string, actualMicros: number) =>
        batched.settle({ org, reservationId: id, actualMicros, now: NOW });

      await reserve('k1');
      // The first batch of an org has nothing cached: the locking transaction.
      expect(counter.counts.transactions).toBe(1);

      counter.reset();
      expect(await reserve('k2')).toMatchObject({ ok: true, reservedMicros: 200 });
      expect(counter.counts).toEqual({ statements: 1, transactions: 0 });

      counter.reset();
      expect(await settle('k1', 60)).toMatchObject({ settled: true, spentMicros: 60, reservedMicros: 100 });
      expect(counter.counts).toEqual({ statements: 1, transactions: 0 });

      counter.reset();
      // Calls queued before the batch starts (the same turn of the event loop) are decided together.
      const [k3, s2, k4] = await Promise.all([reserve('k3', 300), settle('k2', 500), reserve('k4', 200)]);
      expect(s2).toMatchObject({ spentMicros: 560, reservedMicros: 300, alerts: [50] });
      expect(k3).toMatchObject({ ok: true, reservedMicros: 400 });
      expect(k4).toMatchObject({ ok: false, spentMicros: 560, reservedMicros: 300 });
      expect(counter.counts).toEqual({ statements: 1, transactions: 0 });

      // Another process moves the row: the next batch conflicts, falls back, and the one after is fast again.
      await other.reserve({ org, reservationId: 'x1', amountMicros: 100, now: NOW, ttlSeconds: HOUR });
      counter.reset();
      // 560 spent + 400 reserved leaves exactly 40; the stale cache (300 reserved) would have allowed 140.
      expect(await reserve('k5', 40)).toMatchObject({ ok: true, spentMicros: 560, reservedMicros: 440 });
      expect(counter.counts).toEqual({ statements: 3, transactions: 1 });
      counter.reset();
      expect(await reserve('k6', 1)).toMatchObject({ ok: false, reservedMicros: 440 });
      expect(counter.counts).toEqual({ statements: 1, transactions: 0 });
      expect(await ledger.figures({ org, now: NOW })).toMatchObject({
        spentMicros: 560,
        reservedMicros: 440,
      });
    });

    it('falls back when another ledger expired a cached reservation, and charges the late settlement', async () => {
      const org = 'org_expired';
      const counter = counted(test.database.db);
      const batched = withBatchedLedger({ ledger, db: counter.db });
      await ledger.setCap({ org, capMicros: 10_000, now: NOW });
      await batched.reserve({ org, reservationId: 'short', amountMicros: 300, now: NOW, ttlSeconds: 60 });
      await batched.reserve({ org, reservationId: 'long', amountMicros: 500, now: NOW, ttlSeconds: HOUR });
      const later = new Date(NOW.getTime() + 61_000);
      const expired = (await other.expire({ now: later })).filter((r) => r.org === org);
      expect(expired.map((r) => r.id)).toEqual(['short']);

      const late = await batched.settle({ org, reservationId: 'short', actualMicros: 120, now: later });
      expect(late).toMatchObject({
        settled: true,
        spentMicros: 120,
        reservedMicros: 500,
        reservedAmountMicros: 300,
      });
      expect(await batched.settle({ org, reservationId: 'short', actualMicros: 120, now: later })).toBeNull();
      counter.reset();
      expect(
        await batched.settle({ org, reservationId: 'long', actualMicros: 400, now: later }),
      ).toMatchObject({
        spentMicros: 520,
        reservedMicros: 0,
      });
      expect(counter.counts).toEqual({ statements: 1, transactions: 0 });
      expect(await monthRow(test.database.db, org)).toMatchObject({ spent: '520', reserved: '0' });
    });

    it('respects a cap another ledger changed in the very next batch', async () => {
      const org = 'org_cap';
      const batched = withBatchedLedger({ ledger, db: test.database.db });
      // The cap is set with a date in another month so this month's row is left alone: only the fast
      // commit's own cap check can notice the change.
      const elsewhere = new Date('2026-04-02T00:00:00Z');
      const reserve = (id: string, amountMicros: number) =>
        batched.reserve({ org, reservationId: id, amountMicros, now: NOW, ttlSeconds: HOUR });
      await other.setCap({ org, capMicros: 1_000, now: elsewhere });
      await reserve('c1', 400);
      expect(await reserve('c2', 400)).toMatchObject({ ok: true, reservedMicros: 800, capMicros: 1_000 });
      await other.setCap({ org, capMicros: 500, now: elsewhere });
      expect(await reserve('c3', 50)).toMatchObject({ ok: false, capMicros: 500, reservedMicros: 800 });
      await other.setCap({ org, capMicros: 2_000, now: elsewhere });
      expect(await reserve('c4', 1_000)).toMatchObject({ ok: true, capMicros: 2_000, reservedMicros: 1_800 });
      await other.setCap({ org, capMicros: null, now: elsewhere });
      expect(await reserve('c5', 1_000_000)).toMatchObject({ ok: true, capMicros: null });
    });

    it('never exceeds the cap with two batched ledgers on two handles, and ends at the fold of what they did', async () => {
      const org = 'org_hammer';
      const cap = 15_000;
      await ledger.setCap({ org, capMicros: cap, now: NOW });
      const ledgers = [
        withBatchedLedger({ ledger, db: test.database.db }),
        withBatchedLedger({ ledger: other, db: second.db }),
      ];
      const reserved: { id: string; outcome: ReserveOutcome }[] = [];
      const settled: { id: string; actual: number; outcome: SettleOutcome | null }[] = [];
      const lane = async (index: number) => {
        const own = ledgers[index % 2]!;
        const peer = ledgers[(index + 1) % 2]!;
        for (let i = 0; i < 10; i += 1) {
          const n = index * 100 + i;
          const id = `h${n}`;
          const outcome = await own.reserve({
            org,
            reservationId: id,
            amountMicros: 200,
            now: NOW,
            ttlSeconds: HOUR,
          });
          reserved.push({ id, outcome });
          if (!outcome.ok || n % 9 === 0) continue;
          const actual = 50 + ((n * 37) % 151);
          // Some settlements go through the other ledger first; the repeat through the own one finds it settled.
          const first = n % 7 === 0 ? peer : own;
          for (const via of n % 7 === 0 ? [first, own] : [first]) {
            const s = await via.settle({ org, reservationId: id, actualMicros: actual, now: NOW });
            settled.push({ id, actual, outcome: s });
          }
        }
      };
      await Promise.all(Array.from({ length: 20 }, (_, i) => lane(i)));

      for (const { outcome } of reserved) {
        if (outcome.ok) expect(outcome.spentMicros + outcome.reservedMicros).toBeLessThanOrEqual(cap);
      }
      const accepted = reserved.filter((r) => r.outcome.ok);
      expect(accepted.length).toBeGreaterThan(0);
      expect(accepted.length).toBeLessThan(reserved.length);
      const charged = settled.filter((s) => s.outcome !== null);
      expect(new Set(charged.map((s) => s.id)).size).toBe(charged.length);

      const model = emptyBudgetModel();
      const event = (type: string, data: Record<string, unknown>) =>
        ({ type, data, time: NOW.toISOString() }) as unknown as EventEnvelope;
      for (const { id } of accepted) {
        evolveBudget(
          model,
          event('cp.gate.budget.reserved', { month: '2026-03', reservationId: id, amountMicros: 200 }),
        );
      }
      for (const { id, actual } of charged) {
        evolveBudget(model, event('cp.gate.budget.settled', { reservationId: id, actualMicros: actual }));
      }
      const alerts = charged.flatMap((s) => s.outcome!.alerts);
      for (const threshold of alerts)
        evolveBudget(model, event('cp.budget.alert.raised', { month: '2026-03', threshold }));
      const folded = model.months.get('2026-03')!;
      expect(await monthRow(test.database.db, org)).toMatchObject({
        spent: String(folded.spentMicros),
        reserved: String(folded.reservedMicros),
        alerted: folded.alerted,
      });
      expect(folded.spentMicros + folded.reservedMicros).toBeLessThanOrEqual(cap);
      // Each threshold the final spend crossed was raised exactly once, by one of the two ledgers.
      expect([...alerts].sort((a, b) => a - b)).toEqual(
        newlyCrossed({ spentMicros: folded.spentMicros, capMicros: cap, alreadyAlerted: 0 }),
      );
    });
  });
}
