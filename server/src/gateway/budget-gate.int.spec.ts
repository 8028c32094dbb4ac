import { testDrivers } from '@proofpane/core/testing';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, createKey, registerAccount } from '../identity/testing/identity-test-app.js';
import { createGatewayTestApp, type GatewayTestApp } from './testing/gateway-test-app.js';

type Data = Record<string, number>;

for (const driver of testDrivers) {
  describe(`budget gate on ${driver}`, () => {
    let t: GatewayTestApp;
    beforeAll(async () => {
      t = await createGatewayTestApp({ driver });
    });
    afterAll(() => t.close());

    it('refuses with budget_exceeded (429) when the worst case does not fit, audited', async () => {
      const setCap = await t.app.inject({
        method: 'PUT',
        url: '/api/budget',
        headers: auth(t.key),
        payload: { monthlyUsdCap: 0.0001 },
      });
      expect(setCap.statusCode).toBe(200);
      expect(setCap.json()).toMatchObject({ monthlyUsdCap: 0.0001, spentUsd: 0, reservedUsd: 0 });
      const client = new OpenAI({ apiKey: t.key, baseURL: `${t.url}/v1`, maxRetries: 0 });
      const error = (await client.chat.completions
        .create({ model: 'gpt-4o-mini', max_tokens: 1000, messages: [{ role: 'user', content: 'hi' }] })
        .catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
      expect(error.status).toBe(429);
      expect(error.code).toBe('budget_exceeded');
      const id = error.headers?.get('x-proofpane-request-id');
      const subject = await t.runtime.store.readSubject({ org: t.account.org, subject: `call/${id}` });
      expect(subject.map((e) => e.type)).toEqual(['cp.gate.policy.decided', 'cp.gate.budget.refused']);
      expect(subject[1]!.data).toMatchObject({ capMicros: 100, spentMicros: 0 });
    });

    it('never lets 100 concurrent calls spend past the cap, and audits every refusal', async () => {
      const owner = await registerAccount(t.app);
      const { key } = await createKey(t.app, { token: owner.token, role: 'admin' });
      // demo: 0.1 / 0.2 USD per million tokens; max_tokens 400 reserves ~81 µUSD, and a call spends about that.
      await t.app.inject({
        method: 'PUT',
        url: '/api/budget',
        headers: auth(key),
        payload: { monthlyUsdCap: 0.002 },
      });
      const content = 'x'.repeat(1600);
      const answers = await Promise.all(
        Array.from({ length: 100 }, () =>
          t.app.inject({
            method: 'POST',
            url: '/v1/chat/completions',
            headers: auth(key),
            payload: { model: 'demo', max_tokens: 400, messages: [{ role: 'user', content }] },
          }),
        ),
      );
      const statuses = answers.map((a) => a.statusCode);
      const ok = statuses.filter((s) => s === 200).length;
      const refused = statuses.filter((s) => s === 429).length;
      expect(ok + refused).toBe(100);
      expect(ok).toBeGreaterThan(0);
      expect(refused).toBeGreaterThan(0);
      const cap = 2000;
      const settled = await t.events(owner.org, 'cp.gate.budget.settled');
      const spent = settled.reduce((sum, e) => sum + (e.data as Data).actualMicros!, 0);
      expect(settled.length).toBe(ok);
      expect(spent).toBeLessThanOrEqual(cap);
      for (const r of await t.events(owner.org, 'cp.gate.budget.reserved')) {
        const d = r.data as Data;
        expect(d.spentMicros! + d.reservedMicros!).toBeLessThanOrEqual(cap);
      }
      expect((await t.events(owner.org, 'cp.gate.budget.refused')).length).toBe(refused);
      const view = await t.app.inject({ method: 'GET', url: '/api/budget', headers: auth(key) });
      expect(view.json()).toMatchObject({ monthlyUsdCap: 0.002, reservedUsd: 0 });
      expect(view.json().spentUsd * 1e6).toBeCloseTo(spent, 3);
      expect(view.json().forecast.worstCaseUsd).toBeGreaterThanOrEqual(view.json().forecast.linearUsd);
      // Then one call at a time until the cap refuses: spend climbs past 80 % and each alert fires once.
      for (let i = 0; i < 60; i++) {
        const res = await t.app.inject({
          method: 'POST',
          url: '/v1/chat/completions',
          headers: auth(key),
          payload: { model: 'demo', max_tokens: 400, messages: [{ role: 'user', content }] },
        });
        if (res.statusCode === 429) break;
      }
      const final = await t.app.inject({ method: 'GET', url: '/api/budget', headers: auth(key) });
      expect(final.json().spentUsd * 1e6).toBeLessThanOrEqual(cap);
      const alerts = (await t.events(owner.org, 'cp.budget.alert.raised')).map(
        (e) => (e.data as Data).threshold,
      );
      expect(alerts).toEqual([50, 80]);
    });
  });
}
