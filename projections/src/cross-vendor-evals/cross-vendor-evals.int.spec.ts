import { testDrivers } from '@proofpane/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTree } from '../agent-runs/queries.js';
import { createProjectionHarness, newOrg, type ProjectionHarness } from '../testing/harness.js';
import {
  crossVendorMatrix,
  decodeCrossVendorCursor,
  listCrossVendorRuns,
  listCrossVendorSuites,
  scheduledCrossVendorSuites,
} from './queries.js';
import { crossVendorRunEvents } from './testing-events.js';

for (const driver of testDrivers) {
  describe(`the cross-vendor evals read model on ${driver}`, () => {
    let h: ProjectionHarness;
    beforeAll(async () => {
      h = await createProjectionHarness({ driver });
    });
    afterAll(() => h.dispose());

    it('holds a run as its matrix of answers and pairs, its status and its tree', async () => {
      const org = newOrg();
      await h.given(org, crossVendorRunEvents({ suiteId: 'cvs_a', runId: 'run_a' }));
      const matrix = await crossVendorMatrix(h.db, { org, runId: 'run_a' });
      expect(matrix?.run).toMatchObject({ id: 'run_a', suiteId: 'cvs_a', status: 'succeeded', cases: 1 });
      expect(matrix?.counts).toEqual({ critical: 2, warning: 0, info: 1 });
      expect(matrix?.costMicros).toBe(303);
      expect(matrix?.cases[0]?.answers.map((a) => a.fields['$.approve'])).toEqual(['true', 'true', 'false']);
      expect(matrix?.cases[0]?.pairs.map((p) => `${p.a}${p.b} ${p.severity}`)).toEqual([
        '01 info',
        '02 critical',
        '12 critical',
      ]);
      expect(matrix?.cases[0]?.pairs[1]?.diffs).toEqual([{ path: '$.approve', a: 'true', b: 'false' }]);
      const tree = await runTree({ db: h.db, org, runId: 'run_a' });
      expect(tree?.kind).toBe('cross-vendor');
      expect(tree?.children.map((c) => c.id)).toEqual(['run_a.c1']);
      expect(tree?.children[0]?.children.map((c) => c.id)).toEqual([
        'run_a.c1.p1',
        'run_a.c1.p2',
        'run_a.c1.p3',
      ]);
    });

    it('lists suites and runs by org, newest first, in pages, and finds scheduled suites', async () => {
      const org = newOrg();
      const other = newOrg();
      await h.given(org, crossVendorRunEvents({ suiteId: 'cvs_1', runId: 'run_1' }));
      await h.given(org, crossVendorRunEvents({ suiteId: 'cvs_2', runId: 'run_2', failed: true }));
      await h.given(other, crossVendorRunEvents({ suiteId: 'cvs_3', runId: 'run_3' }));
      const first = await listCrossVendorSuites(h.db, { org, limit: 1 });
      expect(first.suites.map((s) => s.id)).toEqual(['cvs_2']);
      const cursor = decodeCrossVendorCursor(first.next!);
      const second = await listCrossVendorSuites(h.db, { org, limit: 1, after: cursor });
      expect(second).toMatchObject({
        suites: [{ id: 'cvs_1', cases: 1, schedule: '0 3 * * *' }],
        next: null,
      });
      const runs = await listCrossVendorRuns(h.db, { org, limit: 10 });
      expect(runs.runs.map((r) => [r.id, r.status])).toEqual([
        ['run_2', 'failed'],
        ['run_1', 'succeeded'],
      ]);
      expect(await crossVendorMatrix(h.db, { org: other, runId: 'run_1' })).toBeNull();
      const scheduled = await scheduledCrossVendorSuites(h.db);
      expect(
        scheduled.filter((s) => s.org === other).map((s) => (s.definition as { suiteId: string }).suiteId),
      ).toEqual(['cvs_3']);
    });
  });
}
