import { testDrivers } from '@proofpane/core/testing';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rebuildProjections } from '../runner/rebuild.js';
import { createProjectionHarness, newOrg, type ProjectionHarness } from '../testing/harness.js';
import { driftBuckets, listDriftAlerts } from './queries.js';
import { QUALITY_DRIFT_TABLES } from './table.js';
import { l4Judged, skillRunEvents } from './testing-events.js';

const SKILL = 'policy.map_controls';
const rows = async (db: Kysely<unknown>) =>
  Object.fromEntries(
    await Promise.all(
      QUALITY_DRIFT_TABLES.map(async (t) => [
        t,
        (await sql`SELECT * FROM ${sql.table(t)} t ORDER BY t::text`.execute(db)).rows,
      ]),
    ),
  );

for (const driver of testDrivers) {
  describe(`the quality-drift read model on ${driver}`, () => {
    let h: ProjectionHarness;
    beforeAll(async () => {
      h = await createProjectionHarness({ driver, now: new Date('2026-03-15T12:10:00.000Z') });
    });
    afterAll(() => h.dispose());

    it('counts runs, passes and L3 verdicts per skill and hour, per org, and rebuilds identically', async () => {
      const [a, b] = [newOrg(), newOrg()];
      await h.given(a, [
        ...skillRunEvents({ runId: 'r1', skill: SKILL, answers: ['ok'], l3: ['clean'], status: 'succeeded' }),
        // Accepted, but its answer cited an unknown id: a run that does not pass, and a hallucination.
        ...skillRunEvents({
          runId: 'r2',
          skill: SKILL,
          answers: ['ok'],
          l3: ['unknown'],
          status: 'succeeded',
        }),
        // Repaired: the first answer's finding counts as a hallucination, the run passes on the clean one.
        ...skillRunEvents({
          runId: 'r3',
          skill: SKILL,
          answers: ['bad', 'ok'],
          l3: ['misattributed', 'clean'],
          status: 'succeeded',
        }),
        ...skillRunEvents({ runId: 'r4', skill: SKILL, answers: ['bad', 'bad'], status: 'failed' }),
        // Refused by a gate before any answer, and cancelled: not samples.
        ...skillRunEvents({ runId: 'r5', skill: SKILL, answers: [], status: 'failed' }),
        ...skillRunEvents({ runId: 'r6', skill: SKILL, answers: [], status: 'cancelled' }),
        // No L3 recorded (a skill that cited nothing): passes.
        ...skillRunEvents({ runId: 'r7', skill: 'training.quiz', answers: ['ok'], status: 'succeeded' }),
      ]);
      h.clock.now = new Date('2026-03-15T13:05:00.000Z');
      await h.given(b, [
        ...skillRunEvents({ runId: 'r1', skill: SKILL, answers: ['ok'], l3: ['clean'], status: 'succeeded' }),
      ]);
      const range = { from: '2026-03-15T00:00:00.000Z', to: '2026-03-16T00:00:00.000Z' };
      expect(await driftBuckets(h.db, { org: a, ...range })).toEqual([
        { skill: SKILL, bucket: '2026-03-15T12:00:00.000Z', runs: 4, passed: 2, l3Checked: 4, l3Flagged: 2 },
        {
          skill: 'training.quiz',
          bucket: '2026-03-15T12:00:00.000Z',
          runs: 1,
          passed: 1,
          l3Checked: 0,
          l3Flagged: 0,
        },
      ]);
      expect(await driftBuckets(h.db, { org: b, skill: SKILL, ...range })).toEqual([
        { skill: SKILL, bucket: '2026-03-15T13:00:00.000Z', runs: 1, passed: 1, l3Checked: 1, l3Flagged: 0 },
      ]);
      // Completed runs leave nothing in flight; succeeded ones keep the hour they counted in, for L4.
      const { rows: inFlight } =
        await sql`SELECT * FROM quality_drift_runs WHERE completed_bucket IS NULL`.execute(h.db);
      expect(inFlight).toEqual([]);

      const alertData = {
        alertId: 'qda_1',
        skill: SKILL,
        signal: 'pass_rate',
        baseline: { from: range.from, to: range.to, n: 500, adverse: 50, rate: 0.9 },
        recent: { from: range.from, to: range.to, n: 100, adverse: 40, rate: 0.6 },
        statistic: 8.1,
        threshold: 3.72,
      };
      const actor = { kind: 'system' as const, id: 'spec' };
      await h.given(a, [
        {
          type: 'cp.quality.drift.alerted',
          subject: `quality-drift/${SKILL}/pass_rate`,
          actor,
          data: alertData,
        },
        {
          type: 'cp.quality.drift.alerted',
          subject: `quality-drift/${SKILL}/hallucination_rate`,
          actor,
          data: { ...alertData, alertId: 'qda_2', signal: 'hallucination_rate' },
        },
        {
          type: 'cp.quality.drift.suppressed',
          subject: `quality-drift/${SKILL}/pass_rate`,
          actor: { kind: 'user', id: 'usr_admin' },
          data: {
            alertId: 'qda_1',
            skill: SKILL,
            signal: 'pass_rate',
            until: null,
            untilRecovered: true,
            reason: 'known',
          },
        },
      ]);
      const now = '2026-03-15T14:00:00.000Z';
      const open = await listDriftAlerts(h.db, { org: a, now, status: 'open', limit: 10 });
      expect(open.alerts.map((x) => [x.id, x.signal, x.status])).toEqual([
        ['qda_2', 'hallucination_rate', 'open'],
      ]);
      const suppressed = await listDriftAlerts(h.db, { org: a, now, status: 'suppressed', limit: 10 });
      expect(suppressed.alerts.map((x) => x.id)).toEqual(['qda_1']);
      expect(suppressed.alerts[0]!.suppression).toMatchObject({
        untilRecovered: true,
        reason: 'known',
        by: 'usr_admin',
      });
      expect((await listDriftAlerts(h.db, { org: b, now, limit: 10 })).alerts).toEqual([]);
      const paged = await listDriftAlerts(h.db, { org: a, now, limit: 1 });
      expect(paged.alerts).toHaveLength(1);
      expect(paged.next).not.toBeNull();

      const live = await rows(h.db);
      await rebuildProjections({ database: h.test.database, batchSize: 5 });
      expect(await rows(h.db)).toEqual(live);
    });

    it("moves a judged run's pass in the hour it counted in: the latest L4 verdict decides, a failed judge says nothing", async () => {
      const org = newOrg();
      h.clock.now = new Date('2026-03-15T12:10:00.000Z');
      await h.given(org, [
        ...skillRunEvents({ runId: 'j1', skill: SKILL, answers: ['ok'], l3: ['clean'], status: 'succeeded' }),
        ...skillRunEvents({
          runId: 'j2',
          skill: SKILL,
          answers: ['ok'],
          l3: ['unknown'],
          status: 'succeeded',
        }),
      ]);
      const range = { from: '2026-03-15T00:00:00.000Z', to: '2026-03-16T00:00:00.000Z' };
      const passed = async () =>
        (await driftBuckets(h.db, { org, skill: SKILL, ...range })).map((b) => b.passed);
      expect(await passed()).toEqual([1]);
      h.clock.now = new Date('2026-03-15T15:30:00.000Z');
      await h.given(org, [l4Judged({ runId: 'j1', passed: false })]);
      expect(await passed()).toEqual([0]);
      // An L3-flagged run does not pass whatever the judge says; a failed judge changes nothing.
      await h.given(org, [l4Judged({ runId: 'j2', passed: true }), l4Judged({ runId: 'j1', passed: null })]);
      expect(await passed()).toEqual([0]);
      await h.given(org, [l4Judged({ runId: 'j1', passed: true })]);
      expect(await passed()).toEqual([1]);
      // Judged before it completed: the verdict is counted at completion.
      await h.given(org, [
        ...skillRunEvents({ runId: 'j3', skill: SKILL, answers: ['ok'], status: 'succeeded' }).slice(0, -1),
        l4Judged({ runId: 'j3', passed: false }),
        ...skillRunEvents({ runId: 'j3', skill: SKILL, answers: ['ok'], status: 'succeeded' }).slice(-1),
      ]);
      const buckets = await driftBuckets(h.db, { org, skill: SKILL, ...range });
      expect(buckets.map((b) => [b.bucket, b.runs, b.passed])).toEqual([
        ['2026-03-15T12:00:00.000Z', 2, 1],
        ['2026-03-15T15:00:00.000Z', 1, 0],
      ]);
      const live = await rows(h.db);
      await rebuildProjections({ database: h.test.database, batchSize: 3 });
      expect(await rows(h.db)).toEqual(live);
    });
  });
}
