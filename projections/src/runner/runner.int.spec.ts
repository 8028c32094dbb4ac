import { testDrivers } from '@proofpane/core/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callCompleted, policyDecided } from '../testing/events.js';
import { createProjectionHarness, newOrg, type ProjectionHarness } from '../testing/harness.js';
import { applyBatch } from './apply-batch.js';
import { readCheckpoint, resetProjection } from './checkpoints.js';
import { type Projection, ProjectionError } from './projection.js';
import { rebuildProjections } from './rebuild.js';
import { startProjections } from './start-projections.js';

// A projection that counts calls per org and refuses any call costing exactly 13 micros.
const counting = (version: number, table = 'test_calls'): Projection => ({
  name: 'test-calls',
  version,
  handles: ['cp.llm.call.completed'],
  tables: [table],
  async apply({ tx, events }) {
    for (const { event } of events) {
      const cost = (event.data as { costMicros: number }).costMicros;
      if (cost === 13) throw new ProjectionError('unlucky cost');
      await sql`INSERT INTO ${sql.table(table)} (org, seq, cost, version) VALUES (${event.org}, ${event.seq}, ${cost}, ${version})`.execute(
        tx,
      );
    }
  },
});

const rowsOf = async (h: ProjectionHarness, org: string) =>
  (
    await sql<{
      seq: string;
      version: number;
    }>`SELECT seq, version FROM test_calls WHERE org = ${org} ORDER BY seq`.execute(h.db)
  ).rows.map((r) => [Number(r.seq), r.version]);

for (const driver of testDrivers) {
  describe(`projection runner on ${driver}`, () => {
    let h: ProjectionHarness;
    beforeAll(async () => {
      h = await createProjectionHarness({ driver, projections: [] });
      await sql`CREATE TABLE test_calls (org text, seq bigint, cost bigint, version int, PRIMARY KEY (org, seq))`.execute(
        h.db,
      );
    });
    afterAll(() => h.dispose());

    it('applies catch-up then live events once, records a failing event and moves on', async () => {
      const org = newOrg();
      await h.store.append({
        org,
        events: [
          callCompleted({ id: 'a', costMicros: 1 }),
          policyDecided({ id: 'b' }),
          callCompleted({ id: 'c', costMicros: 13 }),
        ],
      });
      const running = await startProjections({
        database: h.test.database,
        store: h.store,
        projections: [counting(1)],
      });
      await h.store.append({ org, events: [callCompleted({ id: 'd', costMicros: 4 })] });
      await running.caughtUp();
      expect(await rowsOf(h, org)).toEqual([
        [1, 1],
        [4, 1],
      ]);
      const [status] = await running.status({ org });
      expect(status).toMatchObject({ name: 'test-calls', lag: 0, failureCount: 1, state: 'running' });
      expect(status!.failures[0]).toMatchObject({ org, seq: 3, type: 'cp.llm.call.completed' });
      expect(status!.failures[0]!.reason).toContain('unlucky cost');
      await running.stop();

      // Restarting at the same version resumes from the checkpoint: nothing is applied twice.
      await h.store.append({ org, events: [callCompleted({ id: 'e', costMicros: 5 })] });
      const again = await startProjections({
        database: h.test.database,
        store: h.store,
        projections: [counting(1)],
      });
      await again.caughtUp();
      expect((await rowsOf(h, org)).map(([seq]) => seq)).toEqual([1, 4, 5]);
      await again.stop();
    });

    it('rebuilds from scratch when the version changes, clearing old failures', async () => {
      const org = newOrg();
      await h.store.append({ org, events: [callCompleted({ id: 'a', costMicros: 2 })] });
      const v2 = await startProjections({
        database: h.test.database,
        store: h.store,
        projections: [counting(2)],
      });
      await v2.caughtUp();
      const all = await sql<{ version: number }>`SELECT DISTINCT version FROM test_calls`.execute(h.db);
      expect(all.rows.map((r) => r.version)).toEqual([2]);
      expect(await rowsOf(h, org)).toEqual([[1, 2]]);
      expect((await readCheckpoint(h.db, 'test-calls'))?.version).toBe(2);
      const [status] = await v2.status();
      expect(status!.failureCount).toBe(1);
      await v2.stop();
    });

    it('moves the checkpoint alone for a batch the projection is not affected by, and still detects a moved one', async () => {
      const org = newOrg();
      const applied: number[][] = [];
      const selective: Projection = {
        name: 'test-selective',
        version: 1,
        tables: [],
        affects: (event) => event.type === 'cp.llm.call.completed',
        async apply({ events }) {
          applied.push(events.map((p) => p.event.seq));
        },
      };
      await resetProjection(h.db, selective);
      const after = await h.store.latestCursor();
      // The checkpoint stands at the start; the batches below need only follow it.
      const start = (await readCheckpoint(h.db, 'test-selective'))!.cursor;
      await h.store.append({ org, events: [policyDecided({ id: 'a' }), policyDecided({ id: 'b' })] });
      await h.store.append({ org, events: [callCompleted({ id: 'c', costMicros: 1 })] });
      const [a, b, c] = (await h.store.readAll({ after })).filter((p) => p.event.org === org);

      const skipped = await applyBatch({
        db: h.db,
        projection: selective,
        events: [a!, b!],
        expected: start,
      });
      expect(skipped).toEqual({ kind: 'applied', cursor: b!.cursor, failed: 0 });
      expect(applied).toEqual([]);
      expect((await readCheckpoint(h.db, 'test-selective'))?.cursor).toBe(b!.cursor);

      const stale = await applyBatch({ db: h.db, projection: selective, events: [a!, b!], expected: start });
      expect(stale).toEqual({ kind: 'conflict', cursor: b!.cursor });

      const mixed = await applyBatch({ db: h.db, projection: selective, events: [c!], expected: b!.cursor });
      expect(mixed).toEqual({ kind: 'applied', cursor: c!.cursor, failed: 0 });
      expect(applied).toEqual([[3]]);
      expect(
        await applyBatch({ db: h.db, projection: selective, events: [c!], expected: b!.cursor }),
      ).toEqual({
        kind: 'conflict',
        cursor: c!.cursor,
      });
      expect(applied).toEqual([[3]]);
    });

    it('hands over to a rebuild run elsewhere and keeps every event exactly once', async () => {
      const org = newOrg();
      const running = await startProjections({
        database: h.test.database,
        store: h.store,
        projections: [counting(2)],
      });
      await h.store.append({ org, events: [callCompleted({ id: 'a', costMicros: 7 })] });
      await running.caughtUp();
      const progress: number[] = [];
      const [result] = await rebuildProjections({
        database: h.test.database,
        projections: [counting(2)],
        batchSize: 2,
        onProgress: (p) => progress.push(p.done),
      });
      expect(result!.failed).toBe(1);
      expect(progress.at(-1)).toBe(result!.events);
      await h.store.append({ org, events: [callCompleted({ id: 'b', costMicros: 8 })] });
      await running.caughtUp();
      expect(await rowsOf(h, org)).toEqual([
        [1, 2],
        [2, 2],
      ]);
      const dupes = await sql<{ n: string }>`SELECT count(*) AS n FROM test_calls`.execute(h.db);
      const calls = await sql<{ n: string }>`
        SELECT count(*) AS n FROM events WHERE type = 'cp.llm.call.completed' AND body NOT LIKE '%"costMicros":13,%'`.execute(
        h.db,
      );
      expect(Number(dupes.rows[0]!.n)).toBe(Number(calls.rows[0]!.n));
      await running.stop();
    });
  });
}
