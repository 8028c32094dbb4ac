import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { setBudgetCap } from '@proofpane/commands';
import { PostgresEventStore } from '@proofpane/core';
import { createTestDatabase, type TestDatabase, testDrivers } from '@proofpane/core/testing';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { loadConfig } from '../../config.js';
import { registerAccount } from '../../identity/testing/identity-test-app.js';
import { openRuntime, type Runtime } from '../../runtime/runtime.js';
import { PROJECTIONS_APPLICATION_NAME } from './messages.js';
import { projectionsMode } from './mode.js';
import { startProjectionsThread } from './projections-thread.js';

/** Waits by attempts, not by a clock: the machine may be slow, the answer must come. */
async function eventually<T>(probe: () => Promise<T | undefined>, attempts = 2_000): Promise<T> {
  for (let i = 0; i < attempts; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('never happened');
}

async function threadConnections(test: TestDatabase): Promise<number> {
  const { rows } = await sql<{ n: string }>`
    SELECT count(*) AS n FROM pg_stat_activity
    WHERE datname = current_database() AND application_name = ${PROJECTIONS_APPLICATION_NAME}`.execute(
    test.database.db,
  );
  return Number(rows[0]?.n ?? 0);
}

// A worker thread opens its own pool: real PostgreSQL only (PGlite keeps the runners inline).
for (const driver of testDrivers.filter((d) => d === 'postgres')) {
  describe(`projections in a worker thread on ${driver}`, () => {
    let test: TestDatabase;
    let dataDir: string;
    let runtime: Runtime;
    let app: FastifyInstance;
    beforeAll(async () => {
      test = await createTestDatabase(driver);
      dataDir = mkdtempSync(join(tmpdir(), 'proofpane-thread-'));
      const config = loadConfig({
        PROOFPANE_DATA_DIR: dataDir,
        LOG_LEVEL: 'silent',
        PROOFPANE_SCRYPT_COST: '10',
        PROOFPANE_PRICE_REFRESH: 'off',
        DATABASE_URL: test.url!,
      });
      runtime = await openRuntime({ config, database: test.database });
      app = await buildApp({ runtime, logger: false });
      await app.ready();
    });
    afterAll(async () => {
      await app.close();
      await runtime.close();
      await test.dispose();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('is the default on PostgreSQL and inline when told so or on PGlite', () => {
      expect(projectionsMode(runtime.config, test.database)).toEqual({
        kind: 'worker',
        databaseUrl: test.url,
      });
      expect(projectionsMode({ ...runtime.config, projections: 'inline' }, test.database)).toEqual({
        kind: 'inline',
      });
      expect(
        projectionsMode({ ...runtime.config, projections: 'worker' }, { ...test.database, driver: 'pglite' }),
      ).toMatchObject({ kind: 'inline', refused: expect.stringContaining('PGlite') });
    });

    it('applies a governed call to the read models from its own pool', async () => {
      expect(await eventually(async () => ((await threadConnections(test)) > 0 ? true : undefined))).toBe(
        true,
      );
      const owner = await registerAccount(app, { orgName: 'Threaded' });
      const auth = { authorization: `Bearer ${owner.token}` };
      const chat = await app.inject({
        method: 'POST',
        url: '/v1/chat/completions',
        headers: auth,
        payload: { model: 'demo/echo', messages: [{ role: 'user', content: 'read me back' }] },
      });
      expect(chat.statusCode, chat.body).toBe(200);
      const projections = await eventually(async () => {
        const res = await app.inject({ method: 'GET', url: '/api/admin/projections', headers: auth });
        const body = res.json() as { projections: { name: string; state: string; lag: number }[] };
        return body.projections.every((p) => p.lag === 0 && p.state === 'running')
          ? body.projections
          : undefined;
      });
      expect(projections.map((p) => p.name)).toContain('audit-index');
      const audit = (await app.inject({ method: 'GET', url: '/api/audit', headers: auth })).json() as {
        events: { type: string }[];
      };
      const { rows } = await sql<{ type: string }>`
        SELECT type FROM events WHERE org = ${owner.org} ORDER BY seq`.execute(test.database.db);
      expect(audit.events.map((e) => e.type).sort()).toEqual(rows.map((r) => r.type).sort());
      expect(rows.some((r) => r.type.startsWith('cp.llm') || r.type.includes('gateway'))).toBe(true);
    });

    it("applies another writer's commit it was not told of at its next poll", async () => {
      const owner = await registerAccount(app, { orgName: 'Untold' });
      // A store of its own, as a CLI command would open: its commits reach the thread by no notice.
      const elsewhere = await PostgresEventStore.open({ database: test.database });
      try {
        await setBudgetCap({
          store: elsewhere,
          org: owner.org,
          actor: { kind: 'system', id: 'spec' },
          capMicros: 5_000_000,
        });
      } finally {
        await elsewhere.close();
      }
      const auth = { authorization: `Bearer ${owner.token}` };
      const seen = await eventually(async () => {
        const res = await app.inject({ method: 'GET', url: '/api/audit', headers: auth });
        const events = (res.json() as { events: { type: string }[] }).events;
        return events.some((e) => e.type === 'cp.budget.cap.set') ? events : undefined;
      });
      expect(seen.map((e) => e.type)).toContain('cp.budget.cap.set');
    });

    it('ends the thread and its pool when the server closes', async () => {
      await app.close();
      // A closed connection's backend leaves pg_stat_activity a moment after the client goes.
      expect(await eventually(async () => ((await threadConnections(test)) === 0 ? 0 : undefined))).toBe(0);
    });
  });

  describe(`a projections thread that dies on ${driver}`, () => {
    let test: TestDatabase;
    beforeAll(async () => {
      test = await createTestDatabase(driver);
      // As in the server, whose store has made the events table before the read side starts.
      await PostgresEventStore.open({ database: test.database });
    });
    afterAll(() => test.dispose());

    it('is logged and started again, and its handle keeps answering', async () => {
      const workers: Worker[] = [];
      const errors: string[] = [];
      const handle = await startProjectionsThread({
        databaseUrl: test.url!,
        db: test.database.db,
        restartMs: 10,
        onWorker: (worker) => workers.push(worker),
        log: { error: (_details, message) => errors.push(message), info: () => {} },
      });
      await workers[0]!.terminate();
      const states = await eventually(async () => {
        if (workers.length < 2) return undefined;
        const all = await handle.status();
        return all.every((s) => s.state === 'running') ? all : undefined;
      });
      expect(states.length).toBe(handle.projections.length);
      expect(errors).toContain('projections thread ended; starting it again');
      await handle.caughtUp();
      await handle.stop();
      expect(await eventually(async () => ((await threadConnections(test)) === 0 ? 0 : undefined))).toBe(0);
    });

    it('does not hold the server back while it cannot start: its handle says starting and it is retried', async () => {
      const workers: Worker[] = [];
      const errors: string[] = [];
      // A database that does not exist: the thread fails before its first ready, every time.
      const missing = new URL(test.url!);
      missing.pathname = '/proofpane_no_such_database';
      const handle = await startProjectionsThread({
        databaseUrl: missing.toString(),
        db: test.database.db,
        restartMs: 10,
        onWorker: (worker) => workers.push(worker),
        log: { error: (_details, message) => errors.push(message), info: () => {} },
      });
      const states = await handle.status();
      expect(states.map((s) => s.state)).toEqual(handle.projections.map(() => 'starting'));
      await eventually(async () => (workers.length >= 2 ? true : undefined));
      expect(errors).toContain('projections thread ended; starting it again');
      await handle.stop();
    });
  });
}
