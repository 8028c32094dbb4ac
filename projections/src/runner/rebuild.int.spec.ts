import { START_CURSOR } from '@proofpane/core';
import { testDrivers } from '@proofpane/core/testing';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replayAuditIndex } from '../audit-index/replay.js';
import { coderLife } from '../coder-sessions/testing-events.js';
import { crossVendorRunEvents } from '../cross-vendor-evals/testing-events.js';
import { evolutionLife } from '../evolution/testing-events.js';
import { defaultProjections } from '../projections.js';
import { puLife } from '../pu-items/testing-events.js';
import { l4Judged, skillRunEvents } from '../quality-drift/testing-events.js';
import { triageLife } from '../quality-triage/testing-events.js';
import { callCompleted, policyDecided } from '../testing/events.js';
import { appendMixedEvents } from '../testing/generate.js';
import { createProjectionHarness, newOrg, type ProjectionHarness } from '../testing/harness.js';
import { useCaseLife } from '../testing/use-cases.js';
import { headCursor, inRange } from './events-table.js';
import { type Projection, ProjectionError } from './projection.js';
import { rebuildProjections } from './rebuild.js';
import { projectionStatus } from './status.js';

const tableRows = async (db: Kysely<unknown>, table: string) =>
  (await sql`SELECT * FROM ${sql.table(table)} t ORDER BY t::text`.execute(db)).rows;

const readModels = async (db: Kysely<unknown>) => {
  const tables = defaultProjections.flatMap((p) => p.tables);
  return Object.fromEntries(await Promise.all(tables.map(async (t) => [t, await tableRows(db, t)])));
};

// Calls per org, each row saying which path wrote it; a call costing 13 is refused by both paths
// (the table's CHECK fails the replay, `apply` throws), so its range must go through `apply`.
const calls: Projection = {
  name: 'test-replayed-calls',
  version: 1,
  handles: ['cp.llm.call.completed'],
  tables: ['test_replayed_calls'],
  async apply({ tx, events }) {
    for (const { event } of events) {
      const cost = (event.data as { costMicros: number }).costMicros;
      if (cost === 13) throw new ProjectionError('unlucky cost');
      await sql`INSERT INTO test_replayed_calls (org, seq, cost, via)
        VALUES (${event.org}, ${event.seq}, ${cost}, 'apply')`.execute(tx);
    }
  },
  async replay({ tx, range }) {
    await sql`INSERT INTO test_replayed_calls (org, seq, cost, via)
      SELECT org, seq, (body::json->'data'->>'costMicros')::bigint, 'replay' FROM events
      WHERE ${inRange(range)} AND type = 'cp.llm.call.completed'`.execute(tx);
  },
};

for (const driver of testDrivers) {
  describe(`rebuilding on ${driver}`, () => {
    let h: ProjectionHarness;
    beforeAll(async () => {
      h = await createProjectionHarness({ driver });
    });
    afterAll(() => h.dispose());

    it('writes exactly the rows the live projections wrote, in pages, replayed or applied', async () => {
      const orgs = [newOrg(), newOrg(), newOrg()];
      await appendMixedEvents({
        store: h.store,
        clock: h.clock,
        orgs,
        total: 3_000,
        batchSize: 250,
        start: new Date('2026-01-30T10:00:00.000Z'),
        stepMs: 5 * 3_600_000,
      });
      for (const org of orgs) await h.given(org, [...useCaseLife('uc_a'), ...useCaseLife('uc_b')]);
      await h.projections.caughtUp();
      const live = await readModels(h.db);
      expect(live['use_cases']).toHaveLength(6);
      expect(live['use_case_runs']).toHaveLength(6);
      expect(live['audit_index']!.length).toBeGreaterThanOrEqual(3_000);
      expect(live['cost_daily']!.length).toBeGreaterThan(1);

      const results = await rebuildProjections({ database: h.test.database, batchSize: 700 });
      expect(await readModels(h.db)).toEqual(live);
      const { rows } = await sql<{ n: string }>`SELECT count(*) AS n FROM events`.execute(h.db);
      expect(results.find((r) => r.projection === 'audit-index')).toEqual({
        projection: 'audit-index',
        events: Number(rows[0]!.n),
        failed: 0,
      });
      const status = await projectionStatus({ db: h.db, projections: defaultProjections });
      expect(status.map((s) => s.lag)).toEqual(defaultProjections.map(() => 0));
    });

    it('rebuilds the cross-vendor matrix exactly as the live projection wrote it', async () => {
      const [a, b] = [newOrg(), newOrg()];
      await h.given(a, crossVendorRunEvents({ suiteId: 'cvs_r1', runId: 'run_r1' }));
      await h.given(b, crossVendorRunEvents({ suiteId: 'cvs_r2', runId: 'run_r2', failed: true }));
      const live = await readModels(h.db);
      expect(live['cross_vendor_pairs']!.length).toBeGreaterThanOrEqual(6);
      // Pages of 100: the shared database holds the earlier cases' thousands of events too.
      await rebuildProjections({ database: h.test.database, batchSize: 100 });
      expect(await readModels(h.db)).toEqual(live);
    });

    it('rebuilds the quality triage queue and the L4 part of the pass rate exactly as the live projections wrote them', async () => {
      const org = newOrg();
      await h.given(org, [
        ...skillRunEvents({
          runId: 'q1',
          skill: 'policy.map_controls',
          answers: ['ok'],
          l3: ['unknown'],
          status: 'succeeded',
        }),
        ...skillRunEvents({
          runId: 'q2',
          skill: 'policy.map_controls',
          answers: ['ok'],
          l3: ['clean'],
          status: 'succeeded',
        }),
        l4Judged({ runId: 'q2', passed: false, costMicros: 900 }),
        ...triageLife({ runId: 'q2', assignee: 'usr_b', resolution: 'fixed' }),
        ...triageLife({ runId: 'q1' }),
      ]);
      const live = await readModels(h.db);
      expect(live['quality_triage_items']!.length).toBeGreaterThanOrEqual(2);
      expect(live['quality_judge_spend']!.length).toBeGreaterThanOrEqual(1);
      await rebuildProjections({ database: h.test.database, batchSize: 100 });
      expect(await readModels(h.db)).toEqual(live);
    });

    it('rebuilds genes, capsules, activations and capsule runs exactly as the live projection wrote them', async () => {
      const [a, b] = [newOrg(), newOrg()];
      await h.given(a, evolutionLife({ skill: 'risk.eu_ai_act_tier', prefix: 'g1' }));
      await h.given(b, evolutionLife({ skill: 'intake.classify_use_case', prefix: 'g2' }));
      const live = await readModels(h.db);
      expect(live['evolution_genes']!.length).toBeGreaterThanOrEqual(4);
      expect(live['evolution_capsule_runs']!.length).toBeGreaterThanOrEqual(6);
      await rebuildProjections({ database: h.test.database, batchSize: 5 });
      expect(await readModels(h.db)).toEqual(live);
    });

    it('rebuilds coder sessions and Parallel Universe items exactly as the live projections wrote them', async () => {
      const [a, b] = [newOrg(), newOrg()];
      await h.given(a, [
        ...coderLife({ sessionId: 'cs_r1', mode: 'repo', end: 'applied' }),
        ...coderLife({ sessionId: 'cs_r2', mode: 'greenfield', end: 'discarded' }),
        ...coderLife({ sessionId: 'cs_r3', mode: 'repo', deviceId: 'dev_r3', end: 'finished' }),
        ...puLife({ prefix: 1 }),
      ]);
      await h.given(b, [
        ...coderLife({ sessionId: 'cs_r4', mode: 'greenfield', end: 'applied' }),
        ...puLife({ prefix: 2 }),
      ]);
      await h.projections.caughtUp();
      const live = await readModels(h.db);
      expect(live['coder_sessions']).toHaveLength(4);
      expect(live['pu_items']).toHaveLength(12);
      // Pages of 100: the shared database holds the earlier cases' thousands of events too.
      await rebuildProjections({ database: h.test.database, batchSize: 100 });
      expect(await readModels(h.db)).toEqual(live);
    });

    it('replays events of unusual shape into the audit index as `apply` indexed them', async () => {
      const org = newOrg();
      const base = policyDecided({ id: 'odd' });
      const after = (await headCursor(h.db)) ?? START_CURSOR;
      await h.given(org, [
        { ...base, actor: { kind: 'apikey', id: 'key "quoted" \\ slashed' }, meta: { runId: 'run "q" é' } },
        { ...base, actor: { kind: 'device', id: 'back\\slash' }, meta: { runId: 'run\\x' } },
        // A meta key sorting before "org" puts `,"org":"` inside the meta object.
        { ...base, meta: { a: '1', org: 'x', runId: 'run_org' } },
        // `,"meta":` inside the data as well as the envelope's own.
        {
          type: 'cp.policy.updated',
          subject: 'policy/org',
          actor: { kind: 'user', id: 'usr_émile' },
          meta: { runId: 'run_doc' },
          data: { version: 1, document: { a: { b: 1, meta: { runId: 'not this' } }, org: 'y' } },
        },
      ]);
      const through = (await headCursor(h.db))!;
      const indexed = async () =>
        (
          await sql<{ actor_id: string; actor_kind: string; run_id: string | null }>`
            SELECT actor_kind, actor_id, run_id FROM audit_index WHERE org = ${org} ORDER BY seq`.execute(
            h.db,
          )
        ).rows;
      const live = await indexed();
      expect(live).toEqual([
        { actor_kind: 'apikey', actor_id: 'key "quoted" \\ slashed', run_id: 'run "q" é' },
        { actor_kind: 'device', actor_id: 'back\\slash', run_id: 'run\\x' },
        { actor_kind: 'user', actor_id: 'usr_1', run_id: 'run_org' },
        { actor_kind: 'user', actor_id: 'usr_émile', run_id: 'run_doc' },
      ]);
      // The replay itself, not the fallback through `apply` that a failing replay would take.
      await sql`DELETE FROM audit_index WHERE org = ${org}`.execute(h.db);
      await h.db.transaction().execute((tx) => replayAuditIndex(tx, { after, through }));
      expect(await indexed()).toEqual(live);
    });
  });
}

for (const driver of testDrivers) {
  describe(`rebuilding through replay on ${driver}`, () => {
    let h: ProjectionHarness;
    beforeAll(async () => {
      h = await createProjectionHarness({ driver, projections: [] });
      await sql`CREATE TABLE test_replayed_calls (
        org text, seq bigint, cost bigint CHECK (cost <> 13), via text, PRIMARY KEY (org, seq))`.execute(
        h.db,
      );
    });
    afterAll(() => h.dispose());

    it('applies a range the database cannot replay through `apply`, recording the event it refuses', async () => {
      // Pages of two on an otherwise empty store: [a, b] fails as a whole, [c, x] replays, [y, z]
      // holds none of the projection's events, and [d] replays from where [c, x] left it.
      const org = newOrg();
      await h.store.append({ org, events: [callCompleted({ id: 'a', costMicros: 1 })] });
      await h.store.append({
        org,
        events: [callCompleted({ id: 'b', costMicros: 13 }), callCompleted({ id: 'c', costMicros: 3 })],
      });
      await h.store.append({
        org,
        events: ['x', 'y', 'z'].map((id) => policyDecided({ id })),
      });
      await h.store.append({ org, events: [callCompleted({ id: 'd', costMicros: 4 })] });
      const [result] = await rebuildProjections({
        database: h.test.database,
        projections: [calls],
        batchSize: 2,
      });
      const mine = await sql<{ seq: string; via: string }>`
        SELECT seq, via FROM test_replayed_calls WHERE org = ${org} ORDER BY seq`.execute(h.db);
      expect(mine.rows.map((r) => [Number(r.seq), r.via])).toEqual([
        [1, 'apply'],
        [3, 'replay'],
        [7, 'replay'],
      ]);
      expect(result!.failed).toBe(1);
      const [status] = await projectionStatus({ db: h.db, projections: [calls], org });
      expect(status).toMatchObject({ lag: 0, failureCount: 1 });
      expect(status!.failures[0]).toMatchObject({ seq: 2, reason: 'ProjectionError: unlucky cost' });
    });
  });
}
