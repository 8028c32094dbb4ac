import { createTestDatabase, type TestDatabase, testDrivers } from '@proofpane/core/testing';
import { dropReadModels } from '@proofpane/projections';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Projection test helpers are not part of the package's public surface.
import { appendMixedEvents, disposeTestDatabase } from '../../../projections/src/testing/index.js';
import { collectComplianceAnswers } from '../compliance/testing/compliance-answers.js';
import { collectAnswers } from './testing/answers.js';
import { createReadModelApp } from './testing/read-model-app.js';

const orgs = ['org_alpha', 'org_beta', 'org_gamma', 'org_delta'];
// 50,000 events on PostgreSQL; the in-process WASM database appends about 3x slower, so it replays fewer.
const volume = { postgres: 50_000, pglite: 12_000 };

for (const driver of testDrivers) {
  describe(`rebuilding every read model on ${driver}`, () => {
    let test: TestDatabase;
    beforeAll(async () => {
      test = await createTestDatabase(driver);
    });
    afterAll(() => disposeTestDatabase(test));

    it('answers every endpoint identically after the read models are dropped and rebuilt', async () => {
      const clock = { now: new Date('2026-02-20T08:00:00.000Z') };
      const first = await createReadModelApp({ database: test.database, clock });
      const appended = await appendMixedEvents({
        store: first.store,
        clock,
        orgs,
        total: volume[driver],
        batchSize: 1_000,
        start: clock.now,
        stepMs: 14 * 3_600_000,
      });
      expect(appended).toBeGreaterThanOrEqual(volume[driver]);
      await first.caughtUp();
      const before = await collectAnswers({ app: first.app, orgs });
      const complianceBefore = await collectComplianceAnswers({ db: test.database.db, orgs });
      await first.close();

      await dropReadModels({ db: test.database.db });
      const second = await createReadModelApp({ database: test.database, clock });
      await second.caughtUp();
      const after = await collectAnswers({ app: second.app, orgs });
      const complianceAfter = await collectComplianceAnswers({ db: test.database.db, orgs });
      await second.close();

      expect(after).toEqual(before);
      expect(complianceAfter).toEqual(complianceBefore);
      const evidenced = (
        complianceBefore.org_alpha as { byControl: Record<string, { count: number } | null> }
      ).byControl['EU-AI-ACT:Art.12'];
      expect(evidenced?.count).toBeGreaterThan(0);
      const alpha = (
        before as Record<string, { summary: { monthToDateMicros: number }; runs: { runs: unknown[] } }>
      ).org_alpha!;
      expect(alpha.summary.monthToDateMicros).toBeGreaterThan(0);
      expect(alpha.runs.runs.length).toBeGreaterThan(0);
    }, 150_000);
  });
}
