import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Database, PostgresEventStore } from '@proofpane/core';
import { createTestDatabase, type TestDatabase } from '@proofpane/core/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeVendor, startFakeOpenAI } from '../../../commands/src/testing/index.js';
import { type ServerProcess, startServe } from '../scale-out/testing/processes.js';
import { createBudgetLedger, expireReservations } from './commands.js';

type Data = Record<string, unknown>;
const CAP_MICROS = 60_000;
const MAX_TOKENS = 1_000;

/** Month row, live leases and open exact reservations of one org, read in one statement (one snapshot). */
async function figures(database: Database, org: string) {
  const { rows } = await sql<{ spent: string; reserved: string; leased: string; open: string }>`
    SELECT (SELECT coalesce(sum(spent_micros), 0)::text FROM budget_months WHERE org = ${org}) AS spent,
      (SELECT coalesce(sum(reserved_micros), 0)::text FROM budget_months WHERE org = ${org}) AS reserved,
      (SELECT coalesce(sum(amount_micros - consumed_micros), 0)::text FROM budget_leases
        WHERE org = ${org} AND state = 'live') AS leased,
      (SELECT coalesce(sum(amount_micros), 0)::text FROM budget_reservations
        WHERE org = ${org} AND state = 'open') AS open`.execute(database.db);
  const r = rows[0]!;
  return {
    spent: Number(r.spent),
    reserved: Number(r.reserved),
    leased: Number(r.leased),
    open: Number(r.open),
  };
}

async function liveLeases(database: Database, org: string) {
  const { rows } = await sql<{ id: string; expires: Date }>`
    SELECT id, expires_at AS expires FROM budget_leases WHERE org = ${org} AND state = 'live'`.execute(
    database.db,
  );
  return rows;
}

async function chat(base: string, token: string) {
  const res = await fetch(`${base}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({
      model: 'gpt-4o-mini',
      max_tokens: MAX_TOKENS,
      messages: [{ role: 'user', content: 'hello' }],
    }),
  });
  const body = (await res.json()) as { error?: { code?: string } };
  return { status: res.status, code: body.error?.code };
}

/** Callers in a loop until every one has been refused for the budget (or the process is gone). */
async function loadUntilRefused(options: { bases: () => string[]; token: string; callers: number }) {
  let answered = 0;
  const loops = Array.from({ length: options.callers }, async (_, i) => {
    for (;;) {
      const bases = options.bases();
      const base = bases[i % bases.length]!;
      const res = await chat(base, options.token).catch(() => ({ status: 0, code: 'gone' }));
      if (res.status === 200) answered += 1;
      else if (res.status === 429 && res.code === 'budget_exceeded') return;
      else if (res.status !== 0) throw new Error(`unexpected answer ${res.status} ${res.code}`);
    }
  });
  await Promise.all(loops);
  return answered;
}

// Two real server processes on one PostgreSQL database: PostgreSQL only.
if (process.env.DATABASE_URL) {
  describe('the budget lease across two server processes on one PostgreSQL', () => {
    let test: TestDatabase;
    let upstream: FakeVendor;
    let dataDir: string;
    let env: Record<string, string>;
    const processes: ServerProcess[] = [];

    beforeAll(async () => {
      upstream = await startFakeOpenAI({
        fallback: { text: 'ok', usage: { input: 10, output: 400 }, delayMs: 15 },
      });
      test = await createTestDatabase('postgres');
      dataDir = mkdtempSync(join(tmpdir(), 'proofpane-lease-processes-'));
      env = {
        DATABASE_URL: test.url!,
        PROOFPANE_DATA_DIR: dataDir,
        PROOFPANE_JWT_SECRET: randomBytes(32).toString('hex'),
        PROOFPANE_MASTER_KEY: randomBytes(32).toString('base64'),
        PROOFPANE_SIGNING_KEY: randomBytes(32).toString('base64'),
        PROOFPANE_SCRYPT_COST: '10',
        PROOFPANE_RESERVATION_TTL_SECONDS: '60',
        // The read side is not under test; inline it starts faster on a loaded machine.
        PROOFPANE_PROJECTIONS: 'inline',
        OPENAI_API_KEY: 'sk-platform-openai-test-key',
        OPENAI_BASE_URL: `${upstream.url}/v1`,
      };
    }, 60_000);

    afterAll(async () => {
      await Promise.all(processes.map((p) => p.stop()));
      await upstream?.close();
      await test?.dispose();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('never lets spend or spend plus live leases pass the cap; a killed holder under-spends until its TTL; near the cap calls reserve exactly', async () => {
      // One after the other: both migrate the same database on start.
      const a = await startServe({ args: [], env });
      processes.push(a);
      const b = await startServe({ args: [], env });
      processes.push(b);
      const registered = await fetch(`${a.url}/api/auth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          email: `lease-${Date.now()}@example.test`,
          password: `lease ${randomBytes(8).toString('hex')}`,
          orgName: 'Leases',
        }),
      });
      expect(registered.status).toBe(201);
      const { token, org } = (await registered.json()) as { token: string; org: { id: string } };
      const cap = await fetch(`${b.url}/api/budget`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ monthlyUsdCap: CAP_MICROS / 1e6 }),
      });
      expect(cap.status).toBe(200);

      // Sampled all through the load: what the cap bounds, in one snapshot each time.
      const samples: Awaited<ReturnType<typeof figures>>[] = [];
      let sampling = true;
      const sampler = (async () => {
        while (sampling) {
          samples.push(await figures(test.database, org.id));
          await new Promise((r) => setTimeout(r, 10));
        }
      })();

      // Phase 1: 24 callers spread over both processes; B is SIGKILLed once a third of the cap is spent.
      let alive = [a.url, b.url];
      const killed = (async () => {
        for (;;) {
          const now = await figures(test.database, org.id);
          if (now.spent >= CAP_MICROS / 3) break;
          await new Promise((r) => setTimeout(r, 20));
        }
        alive = [a.url];
        b.proc.kill('SIGKILL');
        return new Date();
      })();
      const answeredBeforeRefusal = await loadUntilRefused({ bases: () => alive, token, callers: 24 });
      const killedAt = await killed;
      expect(answeredBeforeRefusal).toBeGreaterThan(20);

      // B's leases outlive it; A has let go of its own once its window ended (its calls are refused now).
      const deadLeases = await (async () => {
        const deadline = Date.now() + 30_000;
        for (;;) {
          const live = await liveLeases(test.database, org.id);
          const b = live.filter((l) => l.expires.getTime() - 60_000 < killedAt.getTime());
          if (live.length === b.length || Date.now() > deadline) return b;
          await new Promise((r) => setTimeout(r, 100));
        }
      })();
      expect(deadLeases.length).toBeGreaterThan(0);
      const afterKill = await figures(test.database, org.id);
      // Under-spend: what the dead holder kept is unavailable, so A stopped short of the cap.
      expect(afterKill.spent + afterKill.leased).toBeLessThanOrEqual(CAP_MICROS);
      expect(afterKill.leased).toBeGreaterThan(0);

      // The sweeper (the same function the server's loop runs) leaves the dead leases alone before their TTL.
      const ledger = createBudgetLedger({ db: test.database.db });
      const store = await PostgresEventStore.open({ database: test.database });
      try {
        const earliest = Math.min(...deadLeases.map((l) => l.expires.getTime()));
        await expireReservations({ store, ledger, now: new Date(earliest - 1_000) });
        expect((await liveLeases(test.database, org.id)).map((l) => l.id).sort()).toEqual(
          deadLeases.map((l) => l.id).sort(),
        );
        // Past the TTL (the minimum is 60 s, so the sweep is handed a clock past it rather than waited for).
        await a.stop();
        processes.splice(processes.indexOf(a), 1);
        const latest = Math.max(...deadLeases.map((l) => l.expires.getTime()));
        await expireReservations({ store, ledger, now: new Date(latest + 1) });
        expect(await liveLeases(test.database, org.id)).toEqual([]);
        const expired = (await store.readOrg({ org: org.id })).filter(
          (e) => e.type === 'cp.budget.lease.expired',
        );
        expect(expired.map((e) => (e.data as Data).leaseId).sort()).toEqual(
          deadLeases.map((l) => l.id).sort(),
        );
        const freed = await figures(test.database, org.id);
        expect(freed.spent).toBe(afterKill.spent);
        expect(freed.reserved).toBe(0);

        // Phase 2: a fresh process spends what the expiry gave back, down to the last worst case.
        const c = await startServe({ args: [], env });
        processes.push(c);
        const before = (await store.readOrg({ org: org.id })).at(-1)!.seq;
        const answeredAfter = await loadUntilRefused({ bases: () => [c.url], token, callers: 4 });
        expect(answeredAfter).toBeGreaterThan(0);
        sampling = false;
        await sampler;

        const events = await store.readOrg({ org: org.id });
        const worstCase = Math.max(
          ...events
            .filter((e) => e.type === 'cp.gate.budget.reserved')
            .map((e) => Number((e.data as Data).amountMicros)),
        );
        // Every grant covered at least four calls; below that, calls reserved exactly in the ledger.
        const grants = events.filter((e) => e.type === 'cp.budget.lease.granted');
        for (const g of grants)
          expect(Number((g.data as Data).amountMicros)).toBeGreaterThanOrEqual(4 * worstCase);
        const late = events.filter((e) => e.seq > before && e.type === 'cp.gate.budget.reserved');
        const exact = late.filter((e) => (e.data as Data).leaseId === undefined);
        expect(exact.length).toBeGreaterThan(0);
        // The calls nearest the cap all reserved exactly.
        const lastGrantSeq = Math.max(0, ...grants.map((g) => g.seq));
        const lastLeased = Math.max(0, ...late.filter((e) => (e.data as Data).leaseId).map((e) => e.seq));
        expect(exact.at(-1)!.seq).toBeGreaterThan(Math.max(lastGrantSeq, lastLeased));
        for (const e of late.filter((x) => x.seq > Math.max(lastGrantSeq, lastLeased)))
          expect((e.data as Data).leaseId).toBeUndefined();

        const end = await figures(test.database, org.id);
        expect(end.spent).toBeLessThanOrEqual(CAP_MICROS);
        // Exact reservations use the cap up to the last call's worst case (plus what a retired lease still held).
        expect(CAP_MICROS - end.spent).toBeLessThan(2 * worstCase);
        expect(samples.length).toBeGreaterThan(20);
        for (const s of samples) {
          expect(s.spent).toBeLessThanOrEqual(CAP_MICROS);
          expect(s.spent + s.leased + s.open).toBeLessThanOrEqual(CAP_MICROS);
          expect(s.spent + s.reserved).toBeLessThanOrEqual(CAP_MICROS);
        }
      } finally {
        sampling = false;
        await sampler;
        await store.close();
      }
    }, 240_000);
  });
}
