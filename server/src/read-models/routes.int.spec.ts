import type { AddressInfo } from 'node:net';
import { createTestDatabase, type TestDatabase, testDrivers } from '@proofpane/core/testing';
import { defaultProjections } from '@proofpane/projections';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Projection test helpers are not part of the package's public surface.
import {
  callCompleted,
  capSet,
  disposeTestDatabase,
  runCompleted,
  runStarted,
} from '../../../projections/src/testing/index.js';
import { TEST_ORG_HEADER } from './testing/header-org.js';
import { createReadModelApp, type ReadModelApp } from './testing/read-model-app.js';
import { openSse } from './testing/sse-client.js';

for (const driver of testDrivers) {
  describe(`read-model routes on ${driver}`, () => {
    let test: TestDatabase;
    let read: ReadModelApp;
    const org = 'org_routes';
    const get = (url: string, as = org) =>
      read.app.inject({ method: 'GET', url, headers: as ? { [TEST_ORG_HEADER]: as } : {} });
    beforeAll(async () => {
      test = await createTestDatabase(driver);
      read = await createReadModelApp({ database: test.database });
      read.clock.now = new Date('2026-03-14T09:00:00.000Z');
      await read.store.append({
        org,
        events: [
          capSet(2_000_000),
          runStarted({ id: 'wf', kind: 'workflow' }),
          callCompleted({ id: 'a', costMicros: 300_000, userId: 'u1', runId: 'wf' }),
          runStarted({ id: 'child', kind: 'remediation', parentRunId: 'wf' }),
        ],
      });
      await read.store.append({ org: 'org_other', events: [callCompleted({ id: 'z', costMicros: 9 })] });
      read.clock.now = new Date('2026-03-15T12:00:00.000Z');
      await read.caughtUp();
    });
    afterAll(async () => {
      await read.close();
      await disposeTestDatabase(test);
    });

    it('scopes every answer to the caller org and refuses a caller without one', async () => {
      const mine = (await get('/api/audit')).json();
      expect(mine.events.map((e: { seq: number }) => e.seq)).toEqual([1, 2, 3, 4]);
      expect(mine.events.every((e: { org: string }) => e.org === org)).toBe(true);
      expect((await get('/api/audit', 'org_other')).json().events).toHaveLength(1);
      expect((await get('/api/cost/summary', 'org_other')).json().monthToDateMicros).toBe(9);
      expect((await get('/api/runs/wf/tree', 'org_other')).statusCode).toBe(404);
      for (const url of ['/api/audit', '/api/cost/summary', '/api/runs', '/api/admin/projections']) {
        const res = await get(url, '');
        expect(res.statusCode).toBe(401);
        expect(res.json()).toMatchObject({ code: 'unauthenticated' });
      }
    });

    it('validates query strings with problem+json', async () => {
      for (const url of [
        '/api/cost/top?by=planet',
        '/api/runs?window=1y',
        '/api/audit?from=yesterday',
        '/api/cost/daily?days=0',
      ]) {
        const res = await get(url);
        expect(res.statusCode).toBe(400);
        expect(res.json()).toMatchObject({ code: 'validation_failed' });
      }
    });

    it('serves cost, runs and the admin view', async () => {
      expect((await get('/api/cost/summary')).json()).toMatchObject({
        month: '2026-03',
        monthToDateMicros: 300_000,
        capMicros: 2_000_000,
      });
      const daily = (await get('/api/cost/daily?days=3')).json();
      expect(daily.days.map((d: { day: string; costMicros: number }) => [d.day, d.costMicros])).toEqual([
        ['2026-03-13', 0],
        ['2026-03-14', 300_000],
        ['2026-03-15', 0],
      ]);
      expect((await get('/api/cost/top?by=user')).json()).toEqual({
        by: 'user',
        month: '2026-03',
        entries: [{ key: 'u1', costMicros: 300_000, calls: 1, tokens: 150 }],
      });
      const runs = (await get('/api/runs?window=7d')).json();
      expect(runs.runs.map((r: { id: string; rollup: { count: number } }) => [r.id, r.rollup.count])).toEqual(
        [['wf', 2]],
      );
      expect((await get('/api/runs?window=7d&kind=remediation')).json().runs[0]).toMatchObject({
        id: 'child',
        parentRunId: 'wf',
      });
      expect((await get('/api/runs/wf/tree')).json().run.children[0]).toMatchObject({
        id: 'child',
        status: 'running',
      });
      const admin = (await get('/api/admin/projections')).json();
      expect(admin.projections.map((p: { name: string; lag: number }) => [p.name, p.lag])).toEqual(
        defaultProjections.map((p) => [p.name, 0]),
      );
    });

    it('exports CSV headed by the org, filters, time and first/last seq with their hashes', async () => {
      const events = (await get('/api/audit?type=cp.run.')).json().events;
      const res = await get('/api/audit/export.csv?type=cp.run.');
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv/);
      const rows = parse(res.body, { relax_column_count: true }) as string[][];
      expect(rows.slice(0, 6)).toEqual([
        ['[org]', org],
        ['[filters]', 'type=cp.run.'],
        ['[exported_at]', '2026-03-15T12:00:00.000Z'],
        ['[first_seq]', '2', events[0].hash],
        ['[last_seq]', '4', events[1].hash],
        ['[count]', '2'],
      ]);
      expect(rows[6]![0]).toBe('seq');
      expect(rows.slice(7).map((r) => [r[0], r[2], r[10]])).toEqual(
        events.map((e: { seq: number; type: string; hash: string }) => [String(e.seq), e.type, e.hash]),
      );
      expect(JSON.parse(rows[7]![11]!)).toEqual(events[0].data);
    });

    it('streams a run tree again when it changes', async () => {
      await read.app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = read.app.server.address() as AddressInfo;
      const client = await openSse({
        url: `http://127.0.0.1:${port}/api/runs/wf/stream`,
        headers: { [TEST_ORG_HEADER]: org },
      });
      const first = await client.next();
      expect(first.event).toBe('tree');
      expect(JSON.parse(first.data).run.rollup.worstStatus).toBe('running');
      await read.store.append({ org, events: [runCompleted({ id: 'child', status: 'failed' })] });
      const second = JSON.parse((await client.next()).data);
      expect(second.run.children[0].status).toBe('failed');
      expect(second.run.rollup.worstStatus).toBe('failed');
      client.close();
      const missing = await fetch(`http://127.0.0.1:${port}/api/runs/nope/stream`, {
        headers: { [TEST_ORG_HEADER]: org },
      });
      expect(missing.status).toBe(404);
    });
  });
}
