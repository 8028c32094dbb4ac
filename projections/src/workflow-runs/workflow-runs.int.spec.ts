import type { NewEvent } from '@proofpane/core';
import { testDrivers } from '@proofpane/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProjectionHarness, newOrg, type ProjectionHarness } from '../testing/harness.js';
import { decodeRunCursor, listWorkflowRuns, workflowRunCandidates } from './queries.js';

const engine = { kind: 'system' as const, id: 'workflow-engine' };

function run(id: string) {
  const subject = `run/${id}`;
  const event = (type: string, data: Record<string, unknown>): NewEvent => ({
    type,
    subject,
    data,
    actor: engine,
    meta: { runId: id },
  });
  return {
    started: (workflowId = 'wf_a') => [
      event('cp.run.started', { kind: 'workflow', name: `run ${id}` }),
      event('cp.workflow.run.started', {
        workflowId,
        version: 1,
        graphSha256: 'a'.repeat(64),
        trigger: { kind: 'manual' },
        input: {},
        budget: { maxSteps: 10, maxWallMs: 60_000 },
        deadline: '2026-03-15T12:01:00.000Z',
      }),
      event('cp.workflow.step.scheduled', { nodeId: 'a', attempt: 1 }),
    ],
    leased: (holder: string, expiresAt: string) => event('cp.workflow.run.leased', { holder, expiresAt }),
    released: (holder: string) => event('cp.workflow.run.released', { holder }),
    began: (nodeId: string) =>
      event('cp.workflow.step.started', {
        nodeId,
        attempt: 1,
        nodeType: 'skill',
        holder: 'w/1',
        timeoutAt: '2026-03-15T12:02:00.000Z',
      }),
    waiting: (nodeId: string, hitlRequestId: string) =>
      event('cp.workflow.step.waiting', { nodeId, attempt: 1, hitlRequestId }),
    completed: (nodeId: string, costMicros = 0) =>
      event('cp.workflow.step.completed', { nodeId, attempt: 1, output: {}, costMicros }),
    ended: (status: string) => event('cp.run.completed', { status }),
  };
}

const resolved = (requestId: string): NewEvent => ({
  type: 'cp.hitl.resolved',
  subject: `hitl/${requestId}`,
  data: { requestId, decision: 'approve', remember: false, auto: false },
  actor: { kind: 'user', id: 'usr_1' },
});

for (const driver of testDrivers) {
  describe(`the workflow runs read model on ${driver}`, () => {
    let h: ProjectionHarness;
    beforeAll(async () => {
      h = await createProjectionHarness({ driver, now: new Date('2026-03-15T12:00:00.000Z') });
    });
    afterAll(() => h.dispose());

    it('lists runs newest first with status, steps and cost, filtered by workflow and status, page by page', async () => {
      const org = newOrg();
      const a = run('wfr_a');
      const b = run('wfr_b');
      const c = run('wfr_c');
      await h.given(org, a.started());
      h.clock.now = new Date('2026-03-15T12:00:01.000Z');
      await h.given(org, [...b.started('wf_b'), b.leased('w/1', '2026-03-15T12:00:16.000Z'), b.began('a')]);
      await h.given(org, [b.completed('a', 1_500), b.ended('succeeded')]);
      h.clock.now = new Date('2026-03-15T12:00:02.000Z');
      await h.given(org, [
        ...c.started(),
        c.leased('w/1', '2026-03-15T12:00:17.000Z'),
        c.began('a'),
        c.waiting('a', 'hitl_1'),
      ]);

      const all = await listWorkflowRuns(h.db, { org, limit: 10 });
      expect(all.runs.map((r) => [r.id, r.status, r.stepsCompleted, r.costMicros])).toEqual([
        ['wfr_c', 'waiting', 0, 0],
        ['wfr_b', 'succeeded', 1, 1_500],
        ['wfr_a', 'running', 0, 0],
      ]);
      expect(all.runs[1]).toMatchObject({ workflowId: 'wf_b', name: 'run wfr_b', trigger: 'manual' });
      expect(
        (await listWorkflowRuns(h.db, { org, workflowId: 'wf_a', limit: 10 })).runs.map((r) => r.id),
      ).toEqual(['wfr_c', 'wfr_a']);
      expect(
        (await listWorkflowRuns(h.db, { org, status: 'waiting', limit: 10 })).runs.map((r) => r.id),
      ).toEqual(['wfr_c']);
      const first = await listWorkflowRuns(h.db, { org, limit: 2 });
      const rest = await listWorkflowRuns(h.db, { org, limit: 2, after: decodeRunCursor(first.next!) });
      expect([...first.runs, ...rest.runs].map((r) => r.id)).toEqual(['wfr_c', 'wfr_b', 'wfr_a']);
      expect(rest.next).toBeNull();
      expect(await listWorkflowRuns(h.db, { org: newOrg(), limit: 10 })).toEqual({ runs: [], next: null });
    });

    it('offers a worker the runs with a free, ended or dead lease, and the waiting ones a decision woke', async () => {
      const org = newOrg();
      const free = run('wfr_free');
      const live = run('wfr_live');
      const lapsed = run('wfr_lapsed');
      const dead = run('wfr_dead');
      const waiting = run('wfr_waiting');
      await h.given(org, [
        ...free.started(),
        ...live.started(),
        live.leased('other/1', '2026-03-15T12:10:00.000Z'),
        ...lapsed.started(),
        lapsed.leased('other/1', '2026-03-15T11:59:00.000Z'),
        ...dead.started(),
        dead.leased('me/0', '2026-03-15T12:10:00.000Z'),
        ...waiting.started(),
        waiting.leased('other/1', '2026-03-15T12:10:00.000Z'),
        waiting.began('a'),
        waiting.waiting('a', 'hitl_w'),
        waiting.released('other/1'),
      ]);
      const ask = async (deadHolders: string | undefined) =>
        (
          await workflowRunCandidates(h.db, {
            now: new Date('2026-03-15T12:00:30.000Z'),
            holder: 'me/1',
            deadHolders,
            limit: 100,
          })
        )
          .filter((c) => c.org === org)
          .map((c) => c.runId)
          .sort();
      expect(await ask(undefined)).toEqual(['wfr_free', 'wfr_lapsed']);
      expect(await ask('me/')).toEqual(['wfr_dead', 'wfr_free', 'wfr_lapsed']);
      expect(await ask('*')).toEqual(['wfr_dead', 'wfr_free', 'wfr_lapsed', 'wfr_live']);

      await h.given(org, [resolved('hitl_w')]);
      expect(await ask(undefined)).toEqual(['wfr_free', 'wfr_lapsed', 'wfr_waiting']);
      // Claimed again, the run is no longer woken; once over it is never offered.
      await h.given(org, [
        waiting.leased('me/1', '2026-03-15T12:10:00.000Z'),
        waiting.completed('a'),
        waiting.ended('succeeded'),
      ]);
      expect(await ask(undefined)).toEqual(['wfr_free', 'wfr_lapsed']);
    });
  });
}
