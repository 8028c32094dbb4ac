import { type Database, type EventStore, openDatabase, PostgresEventStore } from '@proofpane/core';
import { createTestDatabase, type TestDatabase, testDrivers } from '@proofpane/core/testing';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  BUDGET_EVENT_TYPES,
  type BudgetLeases,
  type BudgetLedger,
  createBudgetLeases,
  createBudgetLedger,
  emptyBudgetModel,
  evolveBudget,
  expireReservations,
  migrateBudget,
  setBudgetCap,
  withBatchedLedger,
} from './index.js';

const TTL = 900;
const actor = { kind: 'system', id: 'spec' } as const;

/** The org's month row, and what its live leases still hold. */
async function figures(db: Kysely<unknown>, org: string) {
  const { rows } = await sql<{ spent: string | null; reserved: string | null; leased: string; open: string }>`
    SELECT (SELECT sum(spent_micros)::text FROM budget_months WHERE org = ${org}) AS spent,
      (SELECT sum(reserved_micros)::text FROM budget_months WHERE org = ${org}) AS reserved,
      (SELECT coalesce(sum(amount_micros - consumed_micros), 0)::text FROM budget_leases
        WHERE org = ${org} AND state = 'live') AS leased,
      (SELECT coalesce(sum(amount_micros), 0)::text FROM budget_reservations
        WHERE org = ${org} AND state = 'open') AS open`.execute(db);
  const r = rows[0]!;
  return {
    spent: Number(r.spent ?? 0),
    reserved: Number(r.reserved ?? 0),
    leased: Number(r.leased),
    open: Number(r.open),
  };
}

/** The month figures the chain implies (the rebuild's fold). */
async function chainFigures(store: EventStore, org: string) {
  const model = emptyBudgetModel();
  const types = new Set<string>(BUDGET_EVENT_TYPES);
  for (let fromSeq = 1; ; ) {
    const page = await store.readOrg({ org, fromSeq, limit: 1_000 });
    for (const e of page) if (types.has(e.type)) evolveBudget(model, e);
    if (page.length < 1_000) break;
    fromSeq = page.at(-1)!.seq + 1;
  }
  const months = [...model.months.values()];
  return {
    spent: months.reduce((a, m) => a + m.spentMicros, 0),
    reserved: months.reduce((a, m) => a + m.reservedMicros, 0),
  };
}

/** One governed call as the gateway makes it: reserve (lease, else exactly), then one outcome append. */
async function governedCall(options: {
  store: EventStore;
  ledger: BudgetLedger;
  leases: BudgetLeases;
  org: string;
  id: string;
  amount: number;
  actual: number;
  capMicros: number;
  now: Date;
}): Promise<'leased' | 'exact' | 'refused'> {
  const { store, ledger, leases, org, id, amount, actual, capMicros, now } = options;
  const leased = await leases.reserve({ org, amountMicros: amount, now, capMicros });
  const subject = `call/${id}`;
  if (leased) {
    await new Promise((r) => setTimeout(r, Math.random() * 5));
    const data = { month: leased.month, reservationId: id, leaseId: leased.leaseId };
    await store.append({
      org,
      events: [
        {
          type: 'cp.gate.budget.reserved',
          subject,
          actor,
          data: {
            ...data,
            amountMicros: amount,
            capMicros: leased.capMicros,
            spentMicros: leased.spentMicros,
            reservedMicros: leased.reservedMicros,
          },
        },
        {
          type: 'cp.gate.budget.settled',
          subject,
          actor,
          data: { ...data, reservedMicros: amount, actualMicros: actual },
        },
      ],
    });
    leases.settled({
      org,
      leaseId: leased.leaseId,
      reservedMicros: amount,
      actualMicros: actual,
      committed: true,
    });
    return 'leased';
  }
  const reserved = await ledger.reserve({
    org,
    reservationId: id,
    amountMicros: amount,
    now,
    ttlSeconds: TTL,
  });
  if (!reserved.ok) return 'refused';
  const data = { month: reserved.month, reservationId: id };
  await store.append({
    org,
    events: [
      {
        type: 'cp.gate.budget.reserved',
        subject,
        actor,
        data: {
          ...data,
          amountMicros: amount,
          capMicros: reserved.capMicros,
          spentMicros: reserved.spentMicros,
          reservedMicros: reserved.reservedMicros,
        },
      },
      {
        type: 'cp.gate.budget.settled',
        subject,
        actor,
        data: { ...data, reservedMicros: amount, actualMicros: actual },
      },
    ],
  });
  return 'exact';
}

for (const driver of testDrivers) {
  describe(`budget leases on ${driver}`, () => {
    let test: TestDatabase;
    let second: Database;
    let stores: EventStore[];
    let ledgers: BudgetLedger[];
    beforeAll(async () => {
      test = await createTestDatabase(driver);
      const first = await PostgresEventStore.open({ database: test.database });
      await migrateBudget(test.database.db);
      // Two holders as two processes would be: own pool, own store, own batched ledger and own leases.
      second = driver === 'postgres' ? await openDatabase({ url: test.url!, poolSize: 10 }) : test.database;
      stores = [first, driver === 'postgres' ? await PostgresEventStore.open({ database: second }) : first];
      ledgers = [test.database, second].map((d) =>
        withBatchedLedger({ ledger: createBudgetLedger({ db: d.db }), db: d.db }),
      );
    });
    afterAll(async () => {
      for (const s of new Set(stores)) await s.close();
      if (second !== test.database) await second.close();
      await test.dispose();
    });

    it('never lets live leases plus spent pass the cap with two holders, and shrinks to exact near it', async () => {
      const org = 'org_two_holders';
      const cap = 1_000_000;
      await setBudgetCap({ store: stores[0]!, org, actor, capMicros: cap });
      const holders = [0, 1].map((i) =>
        createBudgetLeases({
          ledger: ledgers[i]!,
          store: stores[i]!,
          ttlSeconds: TTL,
          settings: { targetCalls: 50, minCalls: 4, exactBackoffMs: 0, windowMs: 200 },
        }),
      );
      const now = new Date();
      const amount = 2_000;
      const actual = 1_500;
      const outcomes: string[] = [];
      const violations: unknown[] = [];
      const sampler = (async () => {
        for (let i = 0; i < 60; i += 1) {
          const f = await figures(test.database.db, org);
          if (f.spent + f.reserved > cap || f.spent + f.leased + f.open > cap) violations.push(f);
          await new Promise((r) => setTimeout(r, 10));
        }
      })();
      let next = 0;
      await Promise.all(
        Array.from({ length: 40 }, async (_, worker) => {
          // A refusal may come while the other holder's lease still holds what is left; it gives it back at
          // the end of its window, so a caller stops after refusals across more than a window.
          for (let refusals = 0; refusals < 6; ) {
            const id = `call_${next++}`;
            const outcome = await governedCall({
              store: stores[worker % 2]!,
              ledger: ledgers[worker % 2]!,
              leases: holders[worker % 2]!,
              org,
              id,
              amount,
              actual,
              capMicros: cap,
              now,
            });
            outcomes.push(outcome);
            if (outcome === 'refused') {
              refusals += 1;
              await new Promise((r) => setTimeout(r, 60));
            } else refusals = 0;
          }
        }),
      );
      await sampler;
      for (const h of holders) await h.close();
      expect(violations).toEqual([]);
      // Leases served most calls; near the cap calls reserved exactly, until the cap refused them.
      expect(outcomes.filter((o) => o === 'leased').length).toBeGreaterThan(300);
      expect(outcomes).toContain('exact');
      expect(outcomes.filter((o) => o === 'refused').length).toBeGreaterThanOrEqual(240);
      const f = await figures(test.database.db, org);
      expect(f.spent).toBeLessThanOrEqual(cap);
      // Spend stops within one worst case of the cap: leases shrank rather than stranding headroom.
      expect(f.spent + amount).toBeGreaterThan(cap - amount);
      expect(f.leased).toBe(0);
      expect(f.reserved).toBe(0);
      const calls = outcomes.filter((o) => o !== 'refused').length;
      expect(f.spent).toBe(calls * actual);
      expect(await chainFigures(stores[0]!, org)).toEqual({ spent: f.spent, reserved: f.reserved });
    });

    it("releases a dead holder's lease only after its TTL, and the ledger equals the chain", async () => {
      const org = 'org_dead_holder';
      await setBudgetCap({ store: stores[0]!, org, actor, capMicros: 10_000_000 });
      const now = new Date();
      const dead = createBudgetLeases({ ledger: ledgers[0]!, store: stores[0]!, ttlSeconds: 60 });
      const leased = await dead.reserve({ org, amountMicros: 1_000, now, capMicros: 10_000_000 });
      expect(leased).not.toBeNull();
      const held = await figures(test.database.db, org);
      expect(held.leased).toBeGreaterThan(0);
      expect(held.reserved).toBe(held.leased);
      // The holder dies: nothing is released. Before its TTL the sweeper leaves the lease alone.
      await expireReservations({
        store: stores[1]!,
        ledger: ledgers[1]!,
        now: new Date(now.getTime() + 30_000),
      });
      expect((await figures(test.database.db, org)).leased).toBe(held.leased);
      await expireReservations({
        store: stores[1]!,
        ledger: ledgers[1]!,
        now: new Date(now.getTime() + 61_000),
      });
      const after = await figures(test.database.db, org);
      expect(after).toEqual({ spent: 0, reserved: 0, leased: 0, open: 0 });
      expect(await chainFigures(stores[0]!, org)).toEqual({ spent: 0, reserved: 0 });
      const events = await stores[0]!.readOrg({ org });
      expect(events.map((e) => e.type)).toEqual([
        'cp.budget.cap.set',
        'cp.budget.lease.granted',
        'cp.budget.lease.expired',
      ]);
    });

    it('reserves exactly when a lease could not cover enough calls, as without leases', async () => {
      const org = 'org_near_cap';
      await setBudgetCap({ store: stores[0]!, org, actor, capMicros: 10_000 });
      const leases = createBudgetLeases({ ledger: ledgers[0]!, store: stores[0]!, ttlSeconds: TTL });
      // A quarter of 10,000 is less than four calls of 1,000: no lease is granted, nothing is held.
      expect(
        await leases.reserve({ org, amountMicros: 1_000, now: new Date(), capMicros: 10_000 }),
      ).toBeNull();
      expect(await figures(test.database.db, org)).toEqual({ spent: 0, reserved: 0, leased: 0, open: 0 });
      const grants = (await stores[0]!.readOrg({ org })).filter((e) => e.type === 'cp.budget.lease.granted');
      expect(grants).toEqual([]);
    });

    it('forgets an org once its lease is given back, so memory follows the orgs calling now', async () => {
      const windowMs = 3_000;
      const leases = createBudgetLeases({
        ledger: ledgers[0]!,
        store: stores[0]!,
        ttlSeconds: TTL,
        settings: { windowMs, exactBackoffMs: windowMs },
      });
      const orgs = Array.from({ length: 30 }, (_, i) => `org_lru_${i}`);
      const outcomes = await Promise.all(
        orgs.map(async (org, i) => {
          // Every third org sits near its cap, so it takes the exact path and its backoff instead.
          const capMicros = i % 3 === 0 ? 10_000 : 10_000_000;
          await setBudgetCap({ store: stores[0]!, org, actor, capMicros });
          const now = new Date();
          const args = { store: stores[0]!, ledger: ledgers[0]!, leases, org, amount: 1_000, actual: 500 };
          return governedCall({ ...args, id: `lru_${org}`, capMicros, now });
        }),
      );
      expect(outcomes.filter((o) => o === 'leased')).toHaveLength(20);
      expect(outcomes.filter((o) => o === 'exact')).toHaveLength(10);
      expect(leases.trackedOrgs()).toBe(30);
      await vi.waitFor(() => expect(leases.trackedOrgs()).toBe(0), { timeout: windowMs * 4, interval: 100 });
      // Forgotten orgs lease again on their next call, and what was given back stays consistent.
      const again = await governedCall({
        store: stores[0]!,
        ledger: ledgers[0]!,
        leases,
        org: orgs[1]!,
        id: 'lru_again',
        amount: 1_000,
        actual: 500,
        capMicros: 10_000_000,
        now: new Date(),
      });
      expect(again).toBe('leased');
      expect(leases.trackedOrgs()).toBe(1);
      await leases.close();
      const after = await figures(test.database.db, orgs[1]!);
      expect(after).toMatchObject({ spent: 1_000, leased: 0 });
    });
  });
}
