import { type Database, openDatabase, PostgresEventStore } from '@proofpane/core';
import { createTestDatabase, type TestDatabase, testDrivers } from '@proofpane/core/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BudgetLedger,
  createBudgetLedger,
  expireReservations,
  migrateBudget,
  rebuildBudget,
  setBudgetCap,
  withBatchedLedger,
} from './index.js';

const NOW = new Date('2026-03-10T12:00:00Z');
const SYSTEM = { kind: 'system' as const, id: 'test' };

for (const driver of testDrivers) {
  describe(`budget ledger on ${driver}`, () => {
    let test: TestDatabase;
    let ledger: BudgetLedger;
    beforeAll(async () => {
      test = await createTestDatabase(driver);
      // The budget's trigger lives on the events table, which the store creates.
      await (await PostgresEventStore.open({ database: test.database })).close();
      await migrateBudget(test.database.db);
      ledger = createBudgetLedger({ db: test.database.db });
    });
    afterAll(() => test.dispose());

    for (const name of ['plain', 'batched'] as const) {
      describe(`${name} ledger`, () => {
        let subject: BudgetLedger;
        beforeAll(() => {
          subject = name === 'plain' ? ledger : withBatchedLedger({ ledger, db: test.database.db });
        });

        it('reserves while the worst case fits, settles once, and raises each alert once', async () => {
          await subject.setCap({ org: `${name}_a`, capMicros: 1000, now: NOW });
          const r1 = await subject.reserve({
            org: `${name}_a`,
            reservationId: 'r1',
            amountMicros: 600,
            now: NOW,
            ttlSeconds: 60,
          });
          expect(r1).toMatchObject({
            ok: true,
            reservedMicros: 600,
            spentMicros: 0,
            capMicros: 1000,
            month: '2026-03',
          });
          const r2 = await subject.reserve({
            org: `${name}_a`,
            reservationId: 'r2',
            amountMicros: 500,
            now: NOW,
            ttlSeconds: 60,
          });
          expect(r2).toMatchObject({ ok: false, capMicros: 1000, reservedMicros: 600 });
          const s1 = await subject.settle({
            org: `${name}_a`,
            reservationId: 'r1',
            actualMicros: 550,
            now: NOW,
          });
          expect(s1).toMatchObject({ settled: true, spentMicros: 550, reservedMicros: 0, alerts: [50] });
          expect(
            await subject.settle({ org: `${name}_a`, reservationId: 'r1', actualMicros: 550, now: NOW }),
          ).toBeNull();
          const r3 = await subject.reserve({
            org: `${name}_a`,
            reservationId: 'r3',
            amountMicros: 450,
            now: NOW,
            ttlSeconds: 60,
          });
          expect(r3.ok).toBe(true);
          const s3 = await subject.settle({
            org: `${name}_a`,
            reservationId: 'r3',
            actualMicros: 450,
            now: NOW,
          });
          expect(s3?.alerts).toEqual([80, 100]);
          expect(await subject.figures({ org: `${name}_a`, now: NOW })).toEqual({
            month: '2026-03',
            capMicros: 1000,
            spentMicros: 1000,
            reservedMicros: 0,
          });
        });

        it('expires a reservation whose call died, and a late settle still counts its spend', async () => {
          await subject.setCap({ org: `${name}_c`, capMicros: 100, now: NOW });
          await subject.reserve({
            org: `${name}_c`,
            reservationId: 'dead',
            amountMicros: 100,
            now: NOW,
            ttlSeconds: 60,
          });
          const later = new Date(NOW.getTime() + 61_000);
          const expired = (await subject.expire({ now: later })).filter((r) => r.org === `${name}_c`);
          expect(expired).toEqual([{ org: `${name}_c`, id: 'dead', month: '2026-03', amountMicros: 100 }]);
          expect((await subject.figures({ org: `${name}_c`, now: later })).reservedMicros).toBe(0);
          const late = await subject.settle({
            org: `${name}_c`,
            reservationId: 'dead',
            actualMicros: 40,
            now: later,
          });
          expect(late).toMatchObject({ spentMicros: 40, reservedMicros: 0 });
        });
      });
    }

    it('decides settlements and reservations queued together in arrival order, each settlement once', async () => {
      const batched = withBatchedLedger({ ledger, db: test.database.db });
      const org = 'org_mixed';
      await ledger.setCap({ org, capMicros: 1_000, now: NOW });
      const reserve = (id: string) =>
        batched.reserve({ org, reservationId: id, amountMicros: 100, now: NOW, ttlSeconds: 60 });
      const first = await Promise.all(Array.from({ length: 10 }, (_, i) => reserve(`m${i}`)));
      expect(first.every((o) => o.ok)).toBe(true);
      expect(await reserve('over')).toMatchObject({ ok: false, reservedMicros: 1_000 });

      const settle = (id: string) => batched.settle({ org, reservationId: id, actualMicros: 50, now: NOW });
      // Queued in one tick: ten settlements (three of them twice), then ten new reservations.
      const settlements = Array.from({ length: 10 }, (_, i) => settle(`m${i}`));
      const repeats = [settle('m0'), settle('m1'), settle('m2')];
      const second = Array.from({ length: 10 }, (_, i) => reserve(`n${i}`));
      const settled = await Promise.all(settlements);
      expect(settled.every((s) => s?.settled)).toBe(true);
      expect(await Promise.all(repeats)).toEqual([null, null, null]);
      expect(settled.flatMap((s) => s!.alerts)).toEqual([50]);
      expect(settled.at(-1)).toMatchObject({ spentMicros: 500, reservedMicros: 0 });
      // 500 spent leaves room for exactly five of the new 100 µUSD reservations.
      expect((await Promise.all(second)).filter((o) => o.ok)).toHaveLength(5);
      expect(await ledger.figures({ org, now: NOW })).toEqual({
        month: '2026-03',
        capMicros: 1_000,
        spentMicros: 500,
        reservedMicros: 500,
      });
    });

    it('keeps orgs apart and lets an org without a cap spend freely', async () => {
      const r = await ledger.reserve({
        org: 'org_b',
        reservationId: 'r1',
        amountMicros: 10_000_000,
        now: NOW,
        ttlSeconds: 60,
      });
      expect(r).toMatchObject({ ok: true, capMicros: null });
      expect((await ledger.figures({ org: 'plain_a', now: NOW })).reservedMicros).toBe(0);
    });

    it('never over-reserves under 100 concurrent reservations from two connections, batched or not', async () => {
      const second: Database =
        driver === 'postgres' ? await openDatabase({ url: test.url!, poolSize: 10 }) : test.database;
      try {
        const other = createBudgetLedger({ db: second.db });
        const ledgers = [
          withBatchedLedger({ ledger, db: test.database.db }),
          other,
          withBatchedLedger({ ledger: other, db: second.db }),
        ];
        await ledger.setCap({ org: 'org_d', capMicros: 2_500, now: NOW });
        const outcomes = await Promise.all(
          Array.from({ length: 100 }, (_, i) =>
            ledgers[i % 3]!.reserve({
              org: 'org_d',
              reservationId: `c${i}`,
              amountMicros: 100,
              now: NOW,
              ttlSeconds: 60,
            }),
          ),
        );
        expect(outcomes.filter((o) => o.ok)).toHaveLength(25);
        expect((await ledger.figures({ org: 'org_d', now: NOW })).reservedMicros).toBe(2_500);
      } finally {
        if (second !== test.database) await second.close();
      }
    });

    it('rebuilds the tables from the budget events with the same figures', async () => {
      const store = await PostgresEventStore.open({ database: test.database });
      const org = 'org_rebuild';
      const actor = SYSTEM;
      await setBudgetCap({ store, org, actor, capMicros: 5_000 });
      for (const [id, amount, actual] of [
        ['x1', 1_000, 800],
        ['x2', 2_000, 1_900],
      ] as const) {
        const r = await ledger.reserve({
          org,
          reservationId: id,
          amountMicros: amount,
          now: NOW,
          ttlSeconds: 60,
        });
        if (!r.ok) throw new Error('reservation refused');
        await store.append({
          org,
          events: [
            {
              type: 'cp.gate.budget.reserved',
              subject: `call/${id}`,
              actor,
              data: {
                month: r.month,
                reservationId: id,
                amountMicros: amount,
                capMicros: r.capMicros,
                spentMicros: r.spentMicros,
                reservedMicros: r.reservedMicros,
              },
            },
          ],
        });
        // The settlement's rows follow from its event as it is appended.
        await store.append({
          org,
          events: [
            {
              type: 'cp.gate.budget.settled',
              subject: `call/${id}`,
              actor,
              data: { month: r.month, reservationId: id, reservedMicros: amount, actualMicros: actual },
            },
          ],
        });
        const claimed = await ledger.claimAlerts({ org, month: r.month });
        if (claimed.alerts.length > 0)
          await store.append({
            org,
            events: claimed.alerts.map((threshold) => ({
              type: 'cp.budget.alert.raised',
              subject: 'budget/2026-03',
              actor,
              data: { month: r.month, threshold, spentMicros: claimed.spentMicros, capMicros: 5_000 },
            })),
          });
      }
      await ledger.reserve({ org, reservationId: 'open1', amountMicros: 300, now: NOW, ttlSeconds: 60 });
      await store.append({
        org,
        events: [
          {
            type: 'cp.gate.budget.reserved',
            subject: 'call/open1',
            actor,
            data: {
              month: '2026-03',
              reservationId: 'open1',
              amountMicros: 300,
              capMicros: 5_000,
              spentMicros: 2_700,
              reservedMicros: 300,
            },
          },
        ],
      });
      const snapshot = async () =>
        (
          await sql`SELECT month, spent_micros::text, reserved_micros::text, alerted FROM budget_months WHERE org = ${org}`.execute(
            test.database.db,
          )
        ).rows;
      const before = await snapshot();
      const beforeFigures = await ledger.figures({ org, now: NOW });
      const version = async () =>
        Number(
          (
            await sql<{ version: string }>`
              SELECT version::text FROM budget_months WHERE org = ${org} AND month = '2026-03'`.execute(
              test.database.db,
            )
          ).rows[0]!.version,
        );
      const versionBefore = await version();
      await sql`UPDATE budget_months SET spent_micros = 0, reserved_micros = 0 WHERE org = ${org}`.execute(
        test.database.db,
      );
      const { events } = await rebuildBudget({ db: test.database.db, store, org, ttlSeconds: 60 });
      expect(events).toBe(7);
      expect(await snapshot()).toEqual(before);
      // A batched ledger that cached the month before the rebuild must see it changed.
      expect(await version()).toBeGreaterThan(versionBefore);
      expect(await ledger.figures({ org, now: NOW })).toEqual(beforeFigures);
      // Rebuilt reservations expire relative to their event's (wall-clock) time.
      const swept = await expireReservations({ store, ledger, now: new Date(Date.now() + 120_000) });
      expect(swept).toBeGreaterThanOrEqual(1);
      expect((await store.readSubject({ org, subject: 'call/open1' })).map((e) => e.type)).toEqual([
        'cp.gate.budget.reserved',
        'cp.gate.budget.expired',
      ]);
      await store.close();
    });
  });
}
