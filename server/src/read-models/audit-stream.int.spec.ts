import type { AddressInfo } from 'node:net';
import type { EventEnvelope } from '@proofpane/core';
import {
  createTestDatabase,
  holdOlderTransaction,
  type TestDatabase,
  testDrivers,
} from '@proofpane/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Projection test helpers are not part of the package's public surface.
import { callCompleted, disposeTestDatabase, policyDecided } from '../../../projections/src/testing/index.js';
import { TEST_ORG_HEADER } from './testing/header-org.js';
import { createReadModelApp, type ReadModelApp } from './testing/read-model-app.js';
import { openSse, type SseClient } from './testing/sse-client.js';

for (const driver of testDrivers) {
  describe(`audit live stream over HTTP on ${driver}`, () => {
    let test: TestDatabase;
    let read: ReadModelApp;
    let base: string;
    beforeAll(async () => {
      test = await createTestDatabase(driver);
      read = await createReadModelApp({ database: test.database, heartbeatMs: 100 });
      await read.app.listen({ port: 0, host: '127.0.0.1' });
      base = `http://127.0.0.1:${(read.app.server.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      await read.close();
      await disposeTestDatabase(test);
    });

    const take = async (client: SseClient, count: number) => {
      const got: EventEnvelope[] = [];
      while (got.length < count) {
        const message = await client.next();
        expect(message.event).toBe('audit');
        const event = JSON.parse(message.data) as EventEnvelope;
        expect(message.id).toBe(String(event.seq));
        got.push(event);
      }
      return got;
    };

    it('resumes from Last-Event-ID with every event exactly once, across a disconnect', async () => {
      const org = 'org_stream_resume';
      const appended: EventEnvelope[] = [];
      const add = async (n: number) => {
        const events = Array.from({ length: n }, (_, i) => policyDecided({ id: `p${appended.length + i}` }));
        appended.push(...(await read.store.append({ org, events })));
      };
      await add(5);
      const first = await openSse({
        url: `${base}/api/audit/stream`,
        headers: { [TEST_ORG_HEADER]: org, 'last-event-id': '0' },
      });
      expect(first.status).toBe(200);
      const catchUp = await take(first, 5);
      await add(3);
      await add(4);
      const live = await take(first, 4);
      first.close();
      // Written while nobody listens: the second connection must find them, and only once.
      await add(6);
      const resumeFrom = live.at(-1)!.seq;
      const second = await openSse({
        url: `${base}/api/audit/stream`,
        headers: { [TEST_ORG_HEADER]: org, 'last-event-id': String(resumeFrom) },
      });
      const pending = take(second, appended.length - resumeFrom);
      await add(2);
      const rest = await pending.then(async (got) => [...got, ...(await take(second, 2))]);
      second.close();
      const seen = [...catchUp, ...live, ...rest];
      expect(seen.map((e) => e.seq)).toEqual(appended.map((e) => e.seq));
      expect(seen).toEqual(appended);
    });

    it('applies the filters live, keeps seq ids, sends heartbeats, and needs an org', async () => {
      const org = 'org_stream_filter';
      const client = await openSse({
        url: `${base}/api/audit/stream?type=cp.llm.`,
        headers: { [TEST_ORG_HEADER]: org },
      });
      const [, call] = await read.store.append({
        org,
        events: [
          policyDecided({ id: 'a' }),
          callCompleted({ id: 'a', costMicros: 5 }),
          policyDecided({ id: 'b' }),
        ],
      });
      const [other] = await read.store.append({ org, events: [callCompleted({ id: 'b', costMicros: 6 })] });
      expect(await take(client, 2)).toEqual([call, other]);
      while (!client.comments.includes('heartbeat')) await new Promise((r) => setTimeout(r, 20));
      client.close();
      const anonymous = await fetch(`${base}/api/audit/stream`);
      expect(anonymous.status).toBe(401);
      expect(await anonymous.json()).toMatchObject({ code: 'unauthenticated' });
    });

    // A second session is needed, which PGlite (one connection) cannot have.
    if (driver === 'postgres')
      it('delivers a new event while another session holds an older transaction open', async () => {
        const org = 'org_stream_held';
        const client = await openSse({
          url: `${base}/api/audit/stream`,
          headers: { [TEST_ORG_HEADER]: org },
        });
        // The global order cannot pass this transaction until it ends; a live stream must not wait for it.
        const older = await holdOlderTransaction(test.database);
        try {
          const before = await read.store.latestCursor();
          const [appended] = await read.store.append({ org, events: [policyDecided({ id: 'held' })] });
          expect(await take(client, 1)).toEqual([appended]);
          // The global order still holds it back.
          expect(await read.store.readAll({ after: before })).toEqual([]);
        } finally {
          await older.release();
          client.close();
        }
      });
  });
}
