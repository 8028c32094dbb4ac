import { createTestDatabase, type TestDatabase, testDrivers } from '@proofpane/core/testing';
import { dropReadModels } from '@proofpane/projections';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Projection test helpers are not part of the package's public surface.
import { appendMixedEvents } from '../../../projections/src/testing/index.js';
import { collectAnswers } from './testing/answers.js';
import { createReadModelApp } from './testing/read-model-app.js';

const orgs = ['org_alpha', 'org_beta', 'org_gamma', 'org_delta'];

for (const driver of testDrivers) {
  describe(`rebuilding every read model on ${driver}`, () => {
    let test: TestDatabase;
    beforeAll(async () => {
      test = await createTestDatabase(driver);
    });
    afterAll(() => test.dispose());

    it('answers every endpoint identically after the read models are dropped and rebuilt', async () => {
      const clock = { now: new Date('2026-02-20T08:00:00.000Z') };
      const first = await createReadModelApp({ database: test.database, clock });
      console.time('append');
      const appended = await appendMixedEvents({
        store: first.store,
        clock,
        orgs,
        total: 50_000,
        batchSize: 1_000,
        start: clock.now,
        stepMs: 14 * 3_600_000,
      });
      console.timeEnd('append');
      console.time('catchup');
      expect(appended).toBeGreaterThanOrEqual(50_000);
      await first.caughtUp();
      console.timeEnd('catchup');
      console.time('answers');
      const before = await collectAnswers({ app: first.app, orgs });
      console.timeEnd('answers');
      await first.close();
      console.time('rebuild');

      await dropReadModels({ db: test.database.db });
      const second = await createReadModelApp({ database: test.database, clock });
      await second.caughtUp();
      console.timeEnd('rebuild');
      const after = await collectAnswers({ app: second.app, orgs });
      await second.close();

      expect(after).toEqual(before);
      const alpha = (
        before as Record<string, { summary: { monthToDateMicros: number }; runs: { runs: unknown[] } }>
      ).org_alpha!;
      expect(alpha.summary.monthToDateMicros).toBeGreaterThan(0);
      expect(alpha.runs.runs.length).toBeGreaterThan(0);
    });
  });
}
