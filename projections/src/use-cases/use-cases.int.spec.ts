import { testDrivers } from '@proofpane/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callCompleted } from '../testing/events.js';
import { createProjectionHarness, newOrg, type ProjectionHarness } from '../testing/harness.js';
import { useCaseLife } from '../testing/use-cases.js';
import { listUseCaseRuns, listUseCases } from './queries.js';

for (const driver of testDrivers) {
  describe(`the use-cases read model on ${driver}`, () => {
    let h: ProjectionHarness;
    beforeAll(async () => {
      h = await createProjectionHarness({ driver });
    });
    afterAll(() => h.dispose());

    it('folds a case to its status and confirmed tier, and counts the runs that named it', async () => {
      const org = newOrg();
      await h.given(org, useCaseLife('uc_1'));
      await h.projections.caughtUp();
      const { useCases, next } = await listUseCases(h.db, { org, limit: 10 });
      expect(next).toBeNull();
      expect(useCases).toEqual([
        expect.objectContaining({
          id: 'uc_1',
          name: 'Renamed uc_1',
          status: 'in_review',
          riskTier: 'high',
          annexIIIArea: 'EU-AI-ACT:AnnexIII.4',
          runs: 1,
        }),
      ]);
      expect((await listUseCases(h.db, { org, tier: 'minimal', limit: 10 })).useCases).toEqual([]);
      expect((await listUseCases(h.db, { org: newOrg(), limit: 10 })).useCases).toEqual([]);
    });

    it("sums a linked run's cost with the runs nested under it", async () => {
      const org = newOrg();
      await h.given(org, useCaseLife('uc_2'));
      await h.given(org, [
        {
          type: 'cp.run.started',
          subject: 'run/child',
          actor: { kind: 'user', id: 'usr_1' },
          meta: { runId: 'child', parentRunId: 'run_uc_2' },
          data: { kind: 'skill', name: 'intake.summarize_use_case' },
        },
        callCompleted({ id: 'child_call', costMicros: 750, runId: 'child' }),
      ]);
      await h.projections.caughtUp();
      const linked = await listUseCaseRuns(h.db, { org, useCaseId: 'uc_2', limit: 10 });
      expect(linked.runs).toEqual([
        expect.objectContaining({ runId: 'run_uc_2', kind: 'skill', status: 'succeeded', costMicros: 2_000 }),
      ]);
      expect(linked.totalCostMicros).toBe(2_000);
    });
  });
}
