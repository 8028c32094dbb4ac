import { testDrivers } from '@proofpane/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing/test-app.js';

for (const driver of testDrivers) {
  describe(`Mission Control's names and summary on ${driver}`, () => {
    let t: TestApp;
    let owner: { token: string; user: { id: string }; org: { id: string } };
    let stranger: { token: string; user: { id: string } };
    let key: { id: string; key: string };
    const as = (token: string) => ({ authorization: `Bearer ${token}` });

    async function caughtUp() {
      for (;;) {
        const res = await t.app.inject({
          method: 'GET',
          url: '/api/admin/projections',
          headers: as(owner.token),
        });
        const { projections } = res.json() as { projections: { lag: number }[] };
        if (projections.every((p) => p.lag === 0)) return;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }

    beforeAll(async () => {
      t = await createTestApp({ driver });
      const register = async (email: string, orgName: string) =>
        (
          await t.app.inject({
            method: 'POST',
            url: '/api/auth/register',
            payload: { email, password: 'a long password 1', orgName },
          })
        ).json();
      owner = await register('olga@example.test', 'Acme');
      stranger = await register('sam@example.test', 'Other');
      key = (
        await t.app.inject({
          method: 'POST',
          url: '/api/api-keys',
          headers: as(owner.token),
          payload: { name: 'billing-bot', role: 'member' },
        })
      ).json();
      const call = await t.app.inject({
        method: 'POST',
        url: '/v1/chat/completions',
        headers: as(key.key),
        payload: { model: 'demo', messages: [{ role: 'user', content: 'hello' }] },
      });
      expect(call.statusCode).toBe(200);
      await caughtUp();
    }, 120_000);
    afterAll(() => t?.dispose());

    it('names the actors and subjects of an audit page by email and key name', async () => {
      const res = await t.app.inject({
        method: 'GET',
        url: '/api/audit?limit=100',
        headers: as(owner.token),
      });
      const page = res.json() as { events: { actor: { id: string } }[]; names: Record<string, string> };
      expect(page.events.some((e) => e.actor.id === key.id)).toBe(true);
      expect(page.names[owner.user.id]).toBe('olga@example.test');
      expect(page.names[key.id]).toBe('billing-bot');
      expect(page.names[owner.org.id]).toBe('Acme');
    });

    it('resolves ids on request, only those of the caller org', async () => {
      const url = `/api/audit/names?ids=${owner.user.id},${key.id},${stranger.user.id}`;
      const mine = (await t.app.inject({ method: 'GET', url, headers: as(owner.token) })).json();
      expect(mine).toEqual({ names: { [owner.user.id]: 'olga@example.test', [key.id]: 'billing-bot' } });
      const theirs = (await t.app.inject({ method: 'GET', url, headers: as(stranger.token) })).json();
      expect(theirs).toEqual({ names: { [stranger.user.id]: 'sam@example.test' } });
      const bad = await t.app.inject({
        method: 'GET',
        url: '/api/audit/names?ids=a%20b',
        headers: as(owner.token),
      });
      expect(bad.statusCode).toBe(400);
      const anonymous = await t.app.inject({ method: 'GET', url: '/api/audit/names?ids=x' });
      expect(anonymous.statusCode).toBe(401);
    });

    it('sums the last hour and 24 hours of calls with the pending approvals', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/api/audit/summary', headers: as(owner.token) });
      expect(res.statusCode).toBe(200);
      const summary = res.json();
      expect(summary).toMatchObject({
        window: '24h',
        lastHour: { calls: 1, refusals: 0 },
        last24h: { calls: 1, refusals: 0 },
        approvalsPending: 0,
      });
      expect(summary.hours).toHaveLength(24);
      const other = (
        await t.app.inject({ method: 'GET', url: '/api/audit/summary', headers: as(stranger.token) })
      ).json();
      expect(other.last24h.calls).toBe(0);
      const badWindow = await t.app.inject({
        method: 'GET',
        url: '/api/audit/summary?window=9y',
        headers: as(owner.token),
      });
      expect(badWindow.statusCode).toBe(400);
    });

    it('labels the top spenders by email and key name', async () => {
      const byKey = (
        await t.app.inject({ method: 'GET', url: '/api/cost/top?by=apikey', headers: as(owner.token) })
      ).json() as { entries: { key: string; label?: string }[] };
      expect(byKey.entries).toEqual([expect.objectContaining({ key: key.id, label: 'billing-bot' })]);
    });
  });
}
