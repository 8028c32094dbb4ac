import { testDrivers } from '@proofpane/core/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anomaly, callCompleted, capSet, reserved, settled } from '../testing/events.js';
import { createProjectionHarness, newOrg, type ProjectionHarness } from '../testing/harness.js';
import { costDaily, costSummary, costTop } from './queries.js';

for (const driver of testDrivers) {
  describe(`cost read model on ${driver}`, () => {
    let h: ProjectionHarness;
    beforeAll(async () => {
      h = await createProjectionHarness({ driver });
    });
    afterAll(() => h.dispose());

    const at = async (org: string, iso: string, events: Parameters<ProjectionHarness['given']>[1]) => {
      h.clock.now = new Date(iso);
      await h.given(org, events);
    };

    it('sums spend per day and per dimension, tracks the cap, reservations and anomalies', async () => {
      const org = newOrg();
      await at(org, '2026-02-27T09:00:00Z', [callCompleted({ id: 'old', costMicros: 5_000, userId: 'u1' })]);
      await at(org, '2026-03-01T09:00:00Z', [
        capSet(1_000_000),
        callCompleted({ id: 'a', costMicros: 100_000, userId: 'u1', model: 'm-big', agent: 'triage' }),
        reserved({ id: 'r1', month: '2026-03', amountMicros: 40_000 }),
      ]);
      await at(org, '2026-03-10T09:00:00Z', [
        callCompleted({ id: 'b', costMicros: 20_000, userId: 'u2', apiKeyId: 'key_1', model: 'm-small' }),
        callCompleted({ id: 'c', costMicros: 30_000, userId: 'u1', apiKeyId: 'key_1', model: 'm-small' }),
        reserved({ id: 'r2', month: '2026-03', amountMicros: 7_000 }),
        settled({ id: 'r1', month: '2026-03', amountMicros: 40_000 }),
        anomaly({ id: 'c', costMicros: 30_000, averageMicros: 6_000 }),
        // Recorded before the gateway's one-cent floor: 8× the average, yet a fraction of a cent.
        anomaly({ id: 'tiny', costMicros: 40, averageMicros: 5 }),
      ]);
      const { rows } = await sql<{ day: string; cost_micros: string; calls: number; tokens: string }>`
        SELECT to_char(day, 'YYYY-MM-DD') AS day, cost_micros, calls, tokens FROM cost_daily
        WHERE org = ${org} ORDER BY day`.execute(h.db);
      expect(rows.map((r) => [r.day, Number(r.cost_micros), r.calls, Number(r.tokens)])).toEqual([
        ['2026-02-27', 5_000, 1, 150],
        ['2026-03-01', 100_000, 1, 150],
        ['2026-03-10', 50_000, 2, 300],
      ]);

      const now = new Date('2026-03-10T18:00:00Z');
      const summary = await costSummary({ db: h.db, org, now });
      // Linear: 150,000 over 10 of 31 days. Rolling: 50,000 in the last 7 days → 7,142.86/day for 21 more days.
      expect(summary).toEqual({
        month: '2026-03',
        monthToDateMicros: 150_000,
        calls: 3,
        tokens: 450,
        capMicros: 1_000_000,
        reservedMicros: 7_000,
        forecasts: {
          linearMonthEndMicros: 465_000,
          rolling7DayMonthEndMicros: 300_000,
          worstCaseMicros: 511_500,
        },
        anomalies: [
          {
            seq: expect.any(Number),
            time: '2026-03-10T09:00:00.000Z',
            subject: 'call/c',
            model: 'claude-sonnet',
            costMicros: 30_000,
            averageMicros: 6_000,
            factor: 5,
          },
        ],
      });

      const daily = await costDaily({ db: h.db, org, days: 12, now });
      expect(daily).toHaveLength(12);
      expect(daily[0]).toEqual({ day: '2026-02-27', costMicros: 5_000, calls: 1, tokens: 150 });
      expect(daily[1]).toEqual({ day: '2026-02-28', costMicros: 0, calls: 0, tokens: 0 });
      expect(daily.at(-1)).toEqual({ day: '2026-03-10', costMicros: 50_000, calls: 2, tokens: 300 });

      const top = (by: 'user' | 'apikey' | 'model' | 'agent') =>
        costTop({ db: h.db, org, by, now, limit: 10 });
      expect(await top('user')).toEqual([
        { key: 'u1', costMicros: 130_000, calls: 2, tokens: 300 },
        { key: 'u2', costMicros: 20_000, calls: 1, tokens: 150 },
      ]);
      expect(await top('apikey')).toEqual([{ key: 'key_1', costMicros: 50_000, calls: 2, tokens: 300 }]);
      expect((await top('model')).map((e) => e.key)).toEqual(['m-big', 'm-small']);
      expect(await top('agent')).toEqual([{ key: 'triage', costMicros: 100_000, calls: 1, tokens: 150 }]);
    });

    it('answers zeros for an org without spend and a removed cap as null', async () => {
      const org = newOrg();
      await at(org, '2026-03-02T00:00:00Z', [capSet(500), capSet(null)]);
      const summary = await costSummary({ db: h.db, org, now: new Date('2026-03-02T01:00:00Z') });
      expect(summary).toMatchObject({
        monthToDateMicros: 0,
        capMicros: null,
        reservedMicros: 0,
        anomalies: [],
      });
      expect(summary.forecasts).toEqual({
        linearMonthEndMicros: 0,
        rolling7DayMonthEndMicros: 0,
        worstCaseMicros: 0,
      });
    });
  });
}
