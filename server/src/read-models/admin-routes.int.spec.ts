import { createTestDatabase, type TestDatabase, testDrivers } from '@proofpane/core/testing';
import { defaultProjections, headCursor } from '@proofpane/projections';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Projection test helpers are not part of the package's public surface.
import { callCompleted, disposeTestDatabase, runStarted } from '../../../projections/src/testing/index.js';
import { TEST_ORG_HEADER } from './testing/header-org.js';
import { createReadModelApp, type ReadModelApp } from './testing/read-model-app.js';

for (const driver of testDrivers) {
  describe(`GET /api/admin/projections on ${driver}`, () => {
    let test: TestDatabase;
    let read: ReadModelApp;
    beforeAll(async () => {
      test = await createTestDatabase(driver);
      read = await createReadModelApp({ database: test.database });
      await read.store.append({ org: 'org_mine', events: [runStarted({ id: 'wf', kind: 'workflow' })] });
      await read.store.append({
        org: 'org_busy',
        events: Array.from({ length: 7 }, (_, i) => callCompleted({ id: `c${i}`, costMicros: 5 })),
      });
      await read.caughtUp();
    });
    afterAll(async () => {
      await read.close();
      await disposeTestDatabase(test);
    });

    it('shows an org admin its own status, never the deployment-wide cursor', async () => {
      const res = await read.app.inject({
        method: 'GET',
        url: '/api/admin/projections',
        headers: { [TEST_ORG_HEADER]: 'org_mine' },
      });
      expect(res.statusCode).toBe(200);
      const head = await headCursor(read.runtime.database.db);
      expect(head).toMatch(/^\d+\.\d+$/);
      // The global cursor tells any tenant how much every other tenant writes.
      expect(res.body).not.toContain(head);
      const { projections } = res.json();
      // Every read model the server keeps, the capabilities' own after the first four.
      const names = projections.map((p: { name: string }) => p.name);
      expect(names).toEqual(defaultProjections.map((p) => p.name));
      expect(names.slice(0, 4)).toEqual(['audit-index', 'cost', 'agent-runs', 'workflow-runs']);
      for (const p of projections) {
        expect(p).not.toHaveProperty('position');
        expect(p).toMatchObject({ version: expect.any(Number), lag: 0, failureCount: 0, failures: [] });
      }
    });
  });
}
