import type { AddressInfo } from 'node:net';
import type { EventEnvelope, NewEvent } from '@proofpane/core';
import { testDrivers } from '@proofpane/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Account, auth, createKey, registerAccount } from '../identity/testing/identity-test-app.js';
import { openSse } from '../read-models/testing/sse-client.js';
import { createClockedApp, skillRun } from './testing.js';

const SKILL = 'policy.map_controls';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// Laid down in the recent past, so "now" for suppression dates and the 30-day summary covers it.
const T0 = Math.floor((Date.now() - 11 * DAY) / HOUR) * HOUR;

/** `count` runs of one skill with outcomes in the given proportions, ids unique per call. */
let serial = 0;
function runs(count: number, mix: { flagged?: number; failed?: number }): NewEvent[] {
  const out: NewEvent[] = [];
  const flagged = Math.round(count * (mix.flagged ?? 0));
  const failed = Math.round(count * (mix.failed ?? 0));
  for (let i = 0; i < count; i++) {
    const outcome = i < flagged ? 'flagged' : i < flagged + failed ? 'failed' : 'clean';
    out.push(...skillRun(`r${++serial}`, SKILL, outcome));
  }
  return out;
}

for (const driver of testDrivers) {
  describe(`quality drift alerts over HTTP on ${driver}`, () => {
    let t: Awaited<ReturnType<typeof createClockedApp>>;
    let a: Account;
    let b: Account;
    let aMember: string;
    let bAdmin: string;
    beforeAll(async () => {
      t = await createClockedApp({ driver, start: new Date(T0) });
      a = await registerAccount(t.app);
      b = await registerAccount(t.app);
      aMember = (await createKey(t.app, { token: a.token, role: 'member' })).key;
      bAdmin = (await createKey(t.app, { token: b.token, role: 'admin' })).key;
    });
    afterAll(() => t.dispose());

    const get = (token: string, url: string) => t.app.inject({ method: 'GET', url, headers: auth(token) });
    const suppress = (token: string, id: string, payload: Record<string, unknown>) =>
      t.app.inject({
        method: 'POST',
        url: `/api/quality/alerts/${id}/suppress`,
        headers: auth(token),
        payload,
      });
    const append = async (org: string, events: NewEvent[]) => {
      for (let i = 0; i < events.length; i += 200)
        await t.store.append({ org, events: events.slice(i, i + 200) });
    };
    /** Polls the admin view until the read model has applied every event of the org (no time asserted). */
    const caughtUp = async (account: Account) => {
      for (let i = 0; i < 500; i++) {
        const res = await get(account.token, '/api/admin/projections');
        const model = res.json().projections?.find((p: { name: string }) => p.name === 'quality-drift');
        if (model?.lag === 0) return;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error('the quality-drift read model did not catch up');
    };
    const alerts = async (token: string, query = '') =>
      (await get(token, `/api/quality/alerts${query}`)).json();

    it('alerts once per excursion on each signal, suppresses one signal independently, recovers, and keeps orgs apart', async () => {
      // Baseline, two days in: 90% pass, 2% of checked answers flagged, in both orgs.
      t.clock.now = new Date(T0 + 2 * DAY);
      await append(a.org, runs(200, { flagged: 0.02, failed: 0.08 }));
      await append(b.org, runs(200, { flagged: 0.02, failed: 0.08 }));
      // Eight days in, org A's skill starts citing ids the catalogue lacks; org B's stays as it was.
      t.clock.now = new Date(T0 + 8 * DAY);
      await append(a.org, runs(60, { flagged: 0.4, failed: 0.1 }));
      await append(b.org, runs(60, { flagged: 0.02, failed: 0.08 }));
      await caughtUp(a);
      await caughtUp(b);

      t.clock.now = new Date(T0 + 8 * DAY + HOUR);
      expect(await t.app.qualityDrift.evaluate(t.clock.now)).toBe(2);
      // Still out: no second alert, from this pass or one that reads a read model not yet caught up.
      expect(await t.app.qualityDrift.evaluate(t.clock.now)).toBe(0);
      await caughtUp(a);
      expect(await t.app.qualityDrift.evaluate(t.clock.now)).toBe(0);

      const listed = await alerts(aMember, '?status=open');
      expect(listed.alerts.map((x: { signal: string }) => x.signal).sort()).toEqual([
        'hallucination_rate',
        'pass_rate',
      ]);
      const pass = listed.alerts.find((x: { signal: string }) => x.signal === 'pass_rate');
      const hallucination = listed.alerts.find((x: { signal: string }) => x.signal === 'hallucination_rate');
      expect(pass).toMatchObject({
        skill: SKILL,
        status: 'open',
        baseline: { n: 200, rate: 0.9 },
        recent: { n: 60, rate: 0.5 },
      });
      expect(pass.statistic).toBeGreaterThanOrEqual(pass.threshold);
      expect(hallucination).toMatchObject({
        baseline: { n: 184, adverse: 4 },
        recent: { n: 54, adverse: 24 },
      });
      expect((await alerts(bAdmin)).alerts).toEqual([]);

      // Only an admin of the alert's org suppresses, with a reason and one way to end it.
      expect((await suppress(aMember, pass.id, { untilRecovered: true, reason: 'x' })).statusCode).toBe(403);
      expect((await suppress(bAdmin, pass.id, { untilRecovered: true, reason: 'x' })).json().code).toBe(
        'quality_alert_not_found',
      );
      const both = await suppress(a.token, pass.id, {
        untilRecovered: true,
        until: new Date(Date.now() + DAY).toISOString(),
        reason: 'x',
      });
      expect(both.statusCode).toBe(400);
      const past = await suppress(a.token, pass.id, {
        until: new Date(Date.now() - DAY).toISOString(),
        reason: 'x',
      });
      expect(past.json().detail).toMatch(/body.until/);
      const other = await suppress(a.token, pass.id, {
        signal: 'hallucination_rate',
        untilRecovered: true,
        reason: 'x',
      });
      expect(other.json().code).toBe('quality_alert_signal_mismatch');
      const done = await suppress(a.token, pass.id, {
        signal: 'pass_rate',
        untilRecovered: true,
        reason: 'new prompt in review',
      });
      expect(done.statusCode, done.body).toBe(200);
      expect(done.json()).toMatchObject({
        status: 'suppressed',
        suppression: { untilRecovered: true, by: a.userId },
      });

      // Suppressing the pass rate leaves the hallucination rate live.
      await caughtUp(a);
      expect((await alerts(aMember, '?status=open')).alerts.map((x: { id: string }) => x.id)).toEqual([
        hallucination.id,
      ]);
      expect((await alerts(aMember, '?status=suppressed')).alerts.map((x: { id: string }) => x.id)).toEqual([
        pass.id,
      ]);
      expect((await alerts(aMember, `?skill=training.quiz`)).alerts).toEqual([]);

      // A day later the skill is back to its old level: both alerts recover against their frozen baseline.
      t.clock.now = new Date(T0 + 10 * DAY);
      await append(a.org, runs(60, { flagged: 0.02, failed: 0.08 }));
      await caughtUp(a);
      t.clock.now = new Date(T0 + 10 * DAY + HOUR);
      expect(await t.app.qualityDrift.evaluate(t.clock.now)).toBe(2);
      await caughtUp(a);
      const recovered = await alerts(aMember, '?status=recovered');
      expect(recovered.alerts).toHaveLength(2);
      expect(
        (await suppress(a.token, hallucination.id, { untilRecovered: true, reason: 'late' })).json().code,
      ).toBe('quality_alert_recovered');

      // The rates behind the charts, per day over 30 days, for the caller's org only.
      const summary = (await get(aMember, `/api/quality/summary?skill=${SKILL}&window=30d`)).json();
      expect(summary).toMatchObject({ window: '30d', bucket: 'day' });
      expect(summary.skills).toHaveLength(1);
      expect(summary.skills[0].buckets).toHaveLength(30);
      expect(summary.skills[0].totals).toMatchObject({ runs: 320, passed: 180 + 30 + 54 });
      const spike = summary.skills[0].buckets.find(
        (x: { start: string }) => x.start === new Date(Math.floor((T0 + 8 * DAY) / DAY) * DAY).toISOString(),
      );
      expect(spike).toMatchObject({ runs: 60, passRate: 0.5, hallucinationRate: 0.4444 });
      expect((await get(aMember, '/api/quality/summary?window=1y')).statusCode).toBe(400);
    });

    it("shows the drift events to the org's members on the SSE stream", async () => {
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      const base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
      const denied = await openSse({ url: `${base}/api/audit/stream?type=cp.quality.drift` });
      expect(denied.status).toBe(401);
      denied.close();
      const client = await openSse({
        url: `${base}/api/audit/stream?type=cp.quality.drift`,
        headers: { ...auth(aMember), 'last-event-id': '0' },
      });
      expect(client.status).toBe(200);
      const seen: EventEnvelope[] = [];
      while (seen.length < 5) seen.push(JSON.parse((await client.next()).data) as EventEnvelope);
      client.close();
      expect(seen.every((e) => e.org === a.org)).toBe(true);
      expect(seen.map((e) => e.type).sort()).toEqual([
        'cp.quality.drift.alerted',
        'cp.quality.drift.alerted',
        'cp.quality.drift.recovered',
        'cp.quality.drift.recovered',
        'cp.quality.drift.suppressed',
      ]);
    });
  });
}
