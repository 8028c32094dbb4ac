import { testDrivers } from '@proofpane/core/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callCompleted, policyDecided, runCompleted, runStarted } from '../testing/events.js';
import { createProjectionHarness, newOrg, type ProjectionHarness } from '../testing/harness.js';
import { listRuns, runTree } from './queries.js';

for (const driver of testDrivers) {
  describe(`agent runs on ${driver}`, () => {
    let h: ProjectionHarness;
    beforeAll(async () => {
      h = await createProjectionHarness({ driver });
    });
    afterAll(() => h.dispose());

    const at = async (org: string, iso: string, events: Parameters<ProjectionHarness['given']>[1]) => {
      h.clock.now = new Date(iso);
      await h.given(org, events);
    };

    it('nests runs of every kind and rolls up count, cost, tokens, duration and worst status', async () => {
      const org = newOrg();
      await at(org, '2026-03-15T10:00:00Z', [
        runStarted({ id: 'wf', kind: 'workflow', name: 'nightly' }),
        runStarted({ id: 'ma', kind: 'multi-agent', parentRunId: 'wf' }),
        callCompleted({ id: 'c1', costMicros: 1_000, runId: 'wf' }),
      ]);
      await at(org, '2026-03-15T10:00:05Z', [
        runStarted({ id: 'gw', kind: 'gateway-session', parentRunId: 'ma' }),
        callCompleted({ id: 'c2', costMicros: 2_000, inputTokens: 10, outputTokens: 5, runId: 'gw' }),
        policyDecided({ id: 'c2', runId: 'gw' }),
        runStarted({ id: 'rm', kind: 'remediation', parentRunId: 'wf' }),
      ]);
      await at(org, '2026-03-15T10:00:30Z', [
        runCompleted({ id: 'gw', status: 'failed' }),
        runCompleted({ id: 'ma', status: 'succeeded' }),
        runCompleted({ id: 'rm', status: 'succeeded' }),
      ]);
      const { rows } = await sql<{
        run_id: string;
        parent_run_id: string | null;
        status: string | null;
        events: number;
      }>`
        SELECT run_id, parent_run_id, status, events FROM runs WHERE org = ${org} ORDER BY run_id`.execute(
        h.db,
      );
      expect(rows).toEqual([
        { run_id: 'gw', parent_run_id: 'ma', status: 'failed', events: 4 },
        { run_id: 'ma', parent_run_id: 'wf', status: 'succeeded', events: 2 },
        { run_id: 'rm', parent_run_id: 'wf', status: 'succeeded', events: 2 },
        { run_id: 'wf', parent_run_id: null, status: null, events: 2 },
      ]);

      const tree = await runTree({ db: h.db, org, runId: 'wf' });
      expect(tree).toMatchObject({
        id: 'wf',
        kind: 'workflow',
        name: 'nightly',
        status: 'running',
        costMicros: 1_000,
        rollup: { count: 4, costMicros: 3_000, tokens: 165, durationMs: null, worstStatus: 'failed' },
        children: [
          {
            id: 'ma',
            rollup: { count: 2, costMicros: 2_000, durationMs: 30_000, worstStatus: 'failed' },
            children: [{ id: 'gw', status: 'failed', tokens: 15, durationMs: 25_000, children: [] }],
          },
          { id: 'rm', rollup: { count: 1, worstStatus: 'succeeded', durationMs: 25_000 }, children: [] },
        ],
      });
      expect(await runTree({ db: h.db, org: newOrg(), runId: 'wf' })).toBeNull();

      await at(org, '2026-03-15T10:01:00Z', [runCompleted({ id: 'wf', status: 'succeeded' })]);
      const now = new Date('2026-03-15T12:00:00Z');
      const roots = await listRuns({ db: h.db, org, window: '24h', now, limit: 50 });
      expect(roots).toHaveLength(1);
      expect(roots[0]).toMatchObject({
        id: 'wf',
        status: 'succeeded',
        durationMs: 60_000,
        rollup: { count: 4, costMicros: 3_000, tokens: 165, durationMs: 60_000, worstStatus: 'failed' },
      });
      const remediations = await listRuns({
        db: h.db,
        org,
        window: '24h',
        kind: 'remediation',
        now,
        limit: 50,
      });
      expect(remediations.map((r) => [r.id, r.parentRunId])).toEqual([['rm', 'wf']]);
      expect(
        await listRuns({ db: h.db, org, window: '24h', now: new Date('2026-03-17T00:00:00Z'), limit: 50 }),
      ).toEqual([]);
      expect(
        (
          await listRuns({ db: h.db, org, window: '7d', now: new Date('2026-03-17T00:00:00Z'), limit: 50 })
        ).map((r) => r.id),
      ).toEqual(['wf']);
    });

    it('survives a parent cycle and lists an orphan whose parent was never started as a root', async () => {
      const org = newOrg();
      await at(org, '2026-03-15T10:00:00Z', [
        runStarted({ id: 'a', kind: 'workflow', parentRunId: 'b' }),
        runStarted({ id: 'b', kind: 'workflow', parentRunId: 'a' }),
        runStarted({ id: 'orphan', kind: 'cross-vendor', parentRunId: 'ghost' }),
      ]);
      const tree = await runTree({ db: h.db, org, runId: 'a' });
      expect(tree?.children.map((c) => c.id)).toEqual(['b']);
      expect(tree?.children[0]?.children).toEqual([]);
      const roots = await listRuns({
        db: h.db,
        org,
        window: '24h',
        now: new Date('2026-03-15T11:00:00Z'),
        limit: 50,
      });
      expect(roots.map((r) => r.id)).toEqual(['orphan']);
    });
  });
}
