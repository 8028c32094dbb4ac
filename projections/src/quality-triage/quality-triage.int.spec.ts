import { testDrivers } from '@proofpane/core/testing';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { l4Judged, skillRunEvents } from '../quality-drift/testing-events.js';
import { rebuildProjections } from '../runner/rebuild.js';
import { createProjectionHarness, newOrg, type ProjectionHarness } from '../testing/harness.js';
import { getTriageItem, judgeSpend, listTriageItems, pendingTriage } from './queries.js';
import { QUALITY_TRIAGE_TABLES } from './table.js';
import { triageLife } from './testing-events.js';

const rows = async (db: Kysely<unknown>) =>
  Object.fromEntries(
    await Promise.all(
      QUALITY_TRIAGE_TABLES.map(async (t) => [
        t,
        (await sql`SELECT * FROM ${sql.table(t)} t ORDER BY t::text`.execute(db)).rows,
      ]),
    ),
  );

for (const driver of testDrivers) {
  describe(`the quality-triage read model on ${driver}`, () => {
    let h: ProjectionHarness;
    beforeAll(async () => {
      h = await createProjectionHarness({ driver, now: new Date('2026-03-15T12:10:00.000Z') });
    });
    afterAll(() => h.dispose());

    it('lists items per org with their status, assignee and resolution, filters and pages them, and rebuilds identically', async () => {
      const [a, b] = [newOrg(), newOrg()];
      await h.given(a, triageLife({ runId: 'r1' }));
      h.clock.now = new Date('2026-03-15T12:20:00.000Z');
      await h.given(a, triageLife({ runId: 'r2', assignee: 'usr_b' }));
      h.clock.now = new Date('2026-03-15T12:30:00.000Z');
      await h.given(
        a,
        triageLife({ runId: 'r3', skill: 'training.quiz', assignee: 'usr_b', resolution: 'false_positive' }),
      );
      await h.given(b, triageLife({ runId: 'r9' }));

      const all = await listTriageItems(h.db, { org: a, limit: 10 });
      expect(all.items.map((i) => [i.id, i.status, i.assignee, i.resolution])).toEqual([
        ['qt_r3', 'resolved', 'usr_b', 'false_positive'],
        ['qt_r2', 'assigned', 'usr_b', null],
        ['qt_r1', 'open', null, null],
      ]);
      expect(all.items[0]).toMatchObject({
        runId: 'r3',
        skill: 'training.quiz',
        reasons: ['l4_below_threshold'],
        output: '{"summary":"covers GDPR Art. 120"}',
        unsupportedClaims: ['Art. 120 applies'],
        note: 'checked against the catalogue',
        resolvedBy: 'usr_b',
      });
      expect(
        (await listTriageItems(h.db, { org: a, status: 'open', limit: 10 })).items.map((i) => i.id),
      ).toEqual(['qt_r1']);
      expect(
        (await listTriageItems(h.db, { org: a, skill: 'training.quiz', limit: 10 })).items.map((i) => i.id),
      ).toEqual(['qt_r3']);
      const first = await listTriageItems(h.db, { org: a, limit: 2 });
      expect(first.next).not.toBeNull();
      expect(await getTriageItem(h.db, { org: b, itemId: 'qt_r1' })).toBeUndefined();
      expect((await listTriageItems(h.db, { org: b, limit: 10 })).items.map((i) => i.id)).toEqual(['qt_r9']);

      const live = await rows(h.db);
      await rebuildProjections({ database: h.test.database, batchSize: 4 });
      expect(await rows(h.db)).toEqual(live);
    });

    it("holds L3-flagged skill runs until their item opens, and sums the judge's spend per month", async () => {
      const org = newOrg();
      h.clock.now = new Date('2026-04-02T08:00:00.000Z');
      await h.given(org, [
        ...skillRunEvents({
          runId: 'p1',
          skill: 'policy.map_controls',
          answers: ['ok'],
          l3: ['unknown'],
          status: 'succeeded',
        }),
        ...skillRunEvents({
          runId: 'p2',
          skill: 'policy.map_controls',
          answers: ['ok'],
          l3: ['clean'],
          status: 'succeeded',
        }),
        l4Judged({ runId: 'p2', passed: true, costMicros: 1_200 }),
        l4Judged({ runId: 'p2', passed: true, costMicros: 800 }),
      ]);
      const mine = (await pendingTriage(h.db, { limit: 100 })).filter((p) => p.org === org);
      expect(mine).toEqual([
        { org, runId: 'p1', l3: { unknown: [{ text: 'Art. 120', framework: 'GDPR' }], misattributed: [] } },
      ]);
      expect(await judgeSpend(h.db, { org, month: '2026-04' })).toEqual({ spentMicros: 2_000, verdicts: 2 });
      expect(await judgeSpend(h.db, { org, month: '2026-03' })).toEqual({ spentMicros: 0, verdicts: 0 });
      await h.given(org, triageLife({ runId: 'p1' }));
      expect((await pendingTriage(h.db, { limit: 100 })).filter((p) => p.org === org)).toEqual([]);
    });
  });
}
