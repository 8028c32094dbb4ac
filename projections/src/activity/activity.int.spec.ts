import { testDrivers } from '@proofpane/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callCompleted, policyDecided } from '../testing/events.js';
import { createProjectionHarness, newOrg, type ProjectionHarness } from '../testing/harness.js';
import { activitySummary } from './queries.js';

const blocked = (id: string) => {
  const event = policyDecided({ id });
  return { ...event, data: { ...(event.data as object), decision: 'block', code: 'policy_blocked' } };
};

for (const driver of testDrivers) {
  describe(`activity per minute on ${driver}`, () => {
    let h: ProjectionHarness;
    beforeAll(async () => {
      h = await createProjectionHarness({ driver });
    });
    afterAll(() => h.dispose());

    it('sums calls, refusals and cost into hours and the last 60 minutes, per org', async () => {
      const org = newOrg();
      const other = newOrg();
      h.clock.now = new Date('2026-03-14T09:10:00.000Z');
      await h.given(org, [callCompleted({ id: 'old', costMicros: 999 })]);
      h.clock.now = new Date('2026-03-15T10:30:00.000Z');
      await h.given(org, [
        callCompleted({ id: 'a', costMicros: 250 }),
        blocked('b'),
        policyDecided({ id: 'c' }),
      ]);
      h.clock.now = new Date('2026-03-15T11:45:00.000Z');
      await h.given(org, [
        callCompleted({ id: 'd', costMicros: 3 }),
        callCompleted({ id: 'e', costMicros: 4 }),
      ]);
      await h.given(other, [callCompleted({ id: 'x', costMicros: 1_000_000 })]);

      const summary = await activitySummary({ db: h.db, org, now: new Date('2026-03-15T12:05:00.000Z') });
      expect(summary.hours).toHaveLength(24);
      expect(summary.hours[0]!.hour).toBe('2026-03-14T13:00:00.000Z');
      expect(summary.hours[23]!.hour).toBe('2026-03-15T12:00:00.000Z');
      expect(summary.hours.find((x) => x.hour === '2026-03-15T10:00:00.000Z')).toEqual({
        hour: '2026-03-15T10:00:00.000Z',
        calls: 1,
        refusals: 1,
        costMicros: 250,
      });
      expect(summary.hours.find((x) => x.hour === '2026-03-15T11:00:00.000Z')?.calls).toBe(2);
      expect(summary.last24h).toEqual({ calls: 3, refusals: 1, costMicros: 257 });
      expect(summary.lastHour).toEqual({ calls: 2, refusals: 0, costMicros: 7 });
    });
  });
}
