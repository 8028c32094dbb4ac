import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Database, openDatabase, PostgresEventStore } from '@proofpane/core';
import { createTestDatabase, type TestDatabase, testDrivers } from '@proofpane/core/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeVendor, startFakeOpenAI } from '../../../commands/src/testing/index.js';
import {
  BUDGET_EVENT_TYPES,
  createBudgetLedger,
  emptyBudgetModel,
  evolveBudget,
  expireReservations,
} from './commands.js';

const child = fileURLToPath(new URL('./testing/serve-child.ts', import.meta.url));
type Data = Record<string, unknown>;

/** Starts the server in a child process and resolves with its URL and a way to SIGKILL it. */
function startServer(env: Record<string, string>) {
  const { DATABASE_URL: _, ...parentEnv } = process.env;
  const proc = spawn(process.execPath, ['--import', 'tsx', child], {
    env: { ...parentEnv, LOG_LEVEL: 'silent', PROOFPANE_PRICE_REFRESH: 'off', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    proc.on('exit', (_code, signal) => resolve(signal)),
  );
  const url = new Promise<string>((resolve, reject) => {
    let out = '';
    let err = '';
    proc.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const match = /listening (\S+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    proc.stderr.on('data', (c: Buffer) => {
      err += c.toString();
    });
    proc.on('exit', (code) => reject(new Error(`the server exited (${code}): ${err}`)));
  });
  return { url, kill: () => proc.kill('SIGKILL'), exited };
}

async function json(url: string, init: { method: string; token?: string; body?: unknown }) {
  const res = await fetch(url, {
    method: init.method,
    headers: {
      'content-type': 'application/json',
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
    },
    body: init.body === undefined ? null : JSON.stringify(init.body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** The budget rows of one org next to what its chain says they must be. */
async function ledgerAndChain(database: Database, org: string) {
  const store = await PostgresEventStore.open({ database });
  const events = await store.readOrg({ org });
  const types = new Set<string>(BUDGET_EVENT_TYPES);
  const model = emptyBudgetModel();
  for (const e of events) if (types.has(e.type)) evolveBudget(model, e);
  const months = await sql<{ month: string; spent: string; reserved: string }>`
    SELECT month, spent_micros::text AS spent, reserved_micros::text AS reserved
    FROM budget_months WHERE org = ${org} ORDER BY month`.execute(database.db);
  const reservations = await sql<{ id: string; state: string; actual: string | null }>`
    SELECT id, state, actual_micros::text AS actual FROM budget_reservations WHERE org = ${org}`.execute(
    database.db,
  );
  await store.close();
  const settledEvents = new Map(
    events
      .filter((e) => e.type === 'cp.gate.budget.settled')
      .map((e) => [(e.data as Data).reservationId as string, Number((e.data as Data).actualMicros)]),
  );
  const reservedEvents = new Set(
    events.filter((e) => e.type === 'cp.gate.budget.reserved').map((e) => (e.data as Data).reservationId),
  );
  return {
    events,
    settledEvents,
    reservedEvents,
    ledger: {
      months: months.rows.map((r) => ({
        month: r.month,
        spent: Number(r.spent),
        reserved: Number(r.reserved),
      })),
      rows: reservations.rows,
    },
    chain: {
      spent: [...settledEvents.values()].reduce((a, b) => a + b, 0),
      months: [...model.months].map(([month, m]) => ({
        month,
        spent: m.spentMicros,
        reserved: m.reservedMicros,
      })),
    },
  };
}

for (const driver of testDrivers) {
  describe(`the budget ledger after a SIGKILL mid-burst on ${driver}`, () => {
    let upstream: FakeVendor;
    let test: TestDatabase | undefined;
    let dataDir: string;
    beforeAll(async () => {
      // Slow enough that many calls are with the provider when the process dies.
      upstream = await startFakeOpenAI({
        fallback: { text: 'ok', usage: { input: 10, output: 20 }, delayMs: 40 },
      });
      dataDir = mkdtempSync(join(tmpdir(), 'proofpane-budget-kill-'));
      if (driver === 'postgres') test = await createTestDatabase('postgres');
    });
    afterAll(async () => {
      await upstream.close();
      await test?.dispose();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('holds exactly what the chain says, and releases the dead calls on expiry', async () => {
      const server = startServer({
        PROOFPANE_DATA_DIR: dataDir,
        OPENAI_API_KEY: 'sk-platform-openai-test-key',
        OPENAI_BASE_URL: `${upstream.url}/v1`,
        ...(test?.url ? { DATABASE_URL: test.url } : {}),
      });
      const url = await server.url;
      const registered = await json(`${url}/api/auth/register`, {
        method: 'POST',
        body: {
          email: `kill-${Date.now()}@example.test`,
          password: `kill ${randomBytes(12).toString('hex')}`,
          orgName: 'Killed mid-burst',
        },
      });
      expect(registered.status).toBe(201);
      const token = registered.body.token as string;
      const org = (registered.body.org as { id: string }).id;
      expect(
        (await json(`${url}/api/budget`, { method: 'PUT', token, body: { monthlyUsdCap: 1 } })).status,
      ).toBe(200);

      let answered = 0;
      const call = () =>
        json(`${url}/v1/chat/completions`, {
          method: 'POST',
          token,
          body: { model: 'gpt-4o-mini', max_tokens: 50, messages: [{ role: 'user', content: 'hello' }] },
        }).then(
          (r) => {
            if (r.status === 200) answered += 1;
          },
          () => {},
        );
      // 40 callers in a loop; the process is killed once 60 answers came back, with calls at every step.
      let killed = false;
      const callers = Array.from({ length: 40 }, async () => {
        while (!killed) {
          await call();
          if (answered >= 60 && !killed) {
            killed = true;
            server.kill();
          }
        }
      });
      await Promise.all(callers);
      expect(await server.exited).toBe('SIGKILL');

      const database =
        driver === 'postgres'
          ? await openDatabase({ url: test!.url!, poolSize: 2 })
          : await openDatabase({ dataDir: join(dataDir, 'pglite') });
      try {
        const seen = await ledgerAndChain(database, org);
        expect(seen.settledEvents.size).toBeGreaterThanOrEqual(60);
        // Spend: the ledger's figure is the sum of the settlement events, to the micro-dollar.
        expect(seen.ledger.months.map((m) => m.spent)).toEqual([seen.chain.spent]);
        // A reservation is settled in the ledger exactly when its settlement event is in the chain.
        for (const row of seen.ledger.rows) {
          if (row.state === 'settled') expect(Number(row.actual)).toBe(seen.settledEvents.get(row.id));
          else expect(seen.settledEvents.has(row.id)).toBe(false);
        }
        const settledRows = seen.ledger.rows.filter((r) => r.state === 'settled').length;
        expect(settledRows).toBe(seen.settledEvents.size);

        // The calls the kill cut short still hold their reservation; expiry releases them through events,
        // after which the ledger equals the fold of the chain.
        const ledger = createBudgetLedger({ db: database.db });
        const store = await PostgresEventStore.open({ database });
        await expireReservations({ store, ledger, now: new Date(Date.now() + 3_600_000) });
        await store.close();
        const after = await ledgerAndChain(database, org);
        expect(after.ledger.months.map((m) => m.reserved)).toEqual([0]);
        expect(after.ledger.months).toEqual(after.chain.months.map((m) => ({ ...m, reserved: 0 })));
        expect(after.ledger.rows.filter((r) => r.state === 'open')).toEqual([]);
      } finally {
        await database.close();
      }
    });
  });
}
