import { testDrivers } from '@proofpane/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, createKey, registerAccount } from '../identity/testing/identity-test-app.js';
import { rebuildBudget } from './commands.js';
import { createGatewayTestApp, type GatewayTestApp } from './testing/gateway-test-app.js';

type Data = Record<string, unknown>;
const CAP_USD = 1;

for (const driver of testDrivers) {
  describe(`the monthly cap is a hard limit on ${driver}`, () => {
    let t: GatewayTestApp;
    beforeAll(async () => {
      t = await createGatewayTestApp({ driver });
    });
    afterAll(() => t.close());

    const capped = async (usd: number | null = CAP_USD) => {
      const owner = await registerAccount(t.app);
      const admin = (await createKey(t.app, { token: owner.token, role: 'admin' })).key;
      const member = (await createKey(t.app, { token: owner.token, role: 'member' })).key;
      const res = await t.app.inject({
        method: 'PUT',
        url: '/api/budget',
        headers: auth(admin),
        payload: { monthlyUsdCap: usd },
      });
      expect(res.statusCode).toBe(200);
      return { org: owner.org, admin, member };
    };
    const chat = (key: string, body: Record<string, unknown>) =>
      t.app.inject({
        method: 'POST',
        url: '/v1/chat/completions',
        headers: auth(key),
        payload: { messages: [{ role: 'user', content: 'hi' }], ...body },
      });
    const settledSum = async (org: string) =>
      (await t.events(org, 'cp.gate.budget.settled')).reduce(
        (s, e) => s + Number((e.data as Data).actualMicros),
        0,
      );

    /**
     * 100 concurrent calls whose upstream reports usage beyond the request's limits: before the fix each
     * was charged what it reported ($0.30 for 2,000,000 prompt tokens of gpt-4o-mini), $7 and more in all.
     */
    async function overReportingBurst(usage: { input: number; output: number }) {
      const org = await capped();
      t.openai.script(...Array.from({ length: 100 }, () => ({ text: 'ok', usage, delayMs: 30 })));
      const answers = await Promise.all(
        Array.from({ length: 100 }, () => chat(org.admin, { model: 'gpt-4o-mini', max_tokens: 100 })),
      );
      const ok = answers.filter((a) => a.statusCode === 200).length;
      // Calls that reach the gate after the first anomaly settled are refused; none is answered otherwise.
      for (const a of answers.filter((a) => a.statusCode !== 200)) {
        expect(a.statusCode).toBe(403);
        expect(a.json().error.code).toBe('provider_anomaly');
      }
      expect(ok).toBeGreaterThan(0);
      const spent = await settledSum(org.org);
      expect(spent).toBeLessThanOrEqual(CAP_USD * 1_000_000);
      const view = (
        await t.app.inject({ method: 'GET', url: '/api/budget', headers: auth(org.admin) })
      ).json();
      expect(view.spentUsd * 1e6).toBeCloseTo(spent, 3);
      expect(view.spentUsd).toBeLessThanOrEqual(CAP_USD);
      expect(view.blocked).toBe(true);
      const anomalies = await t.events(org.org, 'cp.cost.provider_anomaly.detected');
      expect(anomalies).toHaveLength(ok);
      for (const a of anomalies) {
        const d = a.data as Data;
        expect(Number(d.reportedMicros)).toBeGreaterThan(Number(d.chargedMicros));
      }
      for (const s of await t.events(org.org, 'cp.gate.budget.settled')) {
        const d = s.data as Data;
        expect(Number(d.actualMicros)).toBeLessThanOrEqual(Number(d.reservedMicros));
        expect(Number(d.reportedMicros)).toBeGreaterThan(Number(d.actualMicros));
      }
      return org;
    }

    it('charges no call beyond its reservation when the upstream over-reports prompt tokens', async () => {
      await overReportingBurst({ input: 2_000_000, output: 5 });
    });

    it('charges no call beyond its reservation when completion tokens exceed max_tokens', async () => {
      await overReportingBurst({ input: 10, output: 5_000 });
    });

    it('blocks the org after an over-report until an admin acknowledges it, audited', async () => {
      const org = await capped();
      t.openai.script({ text: 'ok', usage: { input: 10, output: 5_000 } });
      expect((await chat(org.admin, { model: 'gpt-4o-mini', max_tokens: 100 })).statusCode).toBe(200);

      const refused = await chat(org.member, { model: 'gpt-4o-mini', max_tokens: 100 });
      expect(refused.statusCode).toBe(403);
      expect(refused.json().error).toMatchObject({ code: 'provider_anomaly', type: 'permission_error' });
      const id = refused.headers['x-proofpane-request-id'];
      const subject = await t.runtime.store.readSubject({ org: org.org, subject: `call/${id}` });
      expect(subject.map((e) => e.type)).toEqual(['cp.gate.policy.decided', 'cp.gate.budget.refused']);
      expect(subject[1]!.data).toMatchObject({ code: 'provider_anomaly' });
      // The block is part of the budget rows a rebuild derives from the chain again.
      await rebuildBudget({
        db: t.runtime.database.db,
        store: t.runtime.store,
        org: org.org,
        ttlSeconds: 900,
      });
      t.app.gateway.orgBudgets.forget(org.org);
      expect((await chat(org.member, { model: 'gpt-4o-mini', max_tokens: 100 })).statusCode).toBe(403);

      const byMember = await t.app.inject({
        method: 'POST',
        url: '/api/budget/anomalies/ack',
        headers: auth(org.member),
        payload: {},
      });
      expect(byMember.statusCode).toBe(403);
      const ack = await t.app.inject({
        method: 'POST',
        url: '/api/budget/anomalies/ack',
        headers: auth(org.admin),
        payload: { note: 'disputed with the vendor' },
      });
      expect(ack.statusCode).toBe(200);
      expect(ack.json()).toMatchObject({ acknowledged: 1, blocked: false, openProviderAnomalies: 0 });
      const acked = await t.events(org.org, 'cp.cost.provider_anomaly.acknowledged');
      expect(acked.map((e) => e.data)).toEqual([{ acknowledged: 1, note: 'disputed with the vendor' }]);

      t.openai.script({ text: 'ok', usage: { input: 10, output: 5 } });
      expect((await chat(org.member, { model: 'gpt-4o-mini', max_tokens: 100 })).statusCode).toBe(200);
    });

    it('refuses an unpriced model under a cap (price_unknown, audited) until the org prices it', async () => {
      const org = await capped();
      const refused = await chat(org.admin, { model: 'gpt-zz-unlisted', max_tokens: 100 });
      expect(refused.statusCode).toBe(400);
      expect(refused.json().error).toMatchObject({ code: 'price_unknown', type: 'invalid_request_error' });
      const id = refused.headers['x-proofpane-request-id'];
      const subject = await t.runtime.store.readSubject({ org: org.org, subject: `call/${id}` });
      expect(subject.at(-1)).toMatchObject({
        type: 'cp.gate.budget.refused',
        data: { code: 'price_unknown', model: 'openai/gpt-zz-unlisted' },
      });
      const upstreamCalls = t.openai.requests.length;

      const anthropic = await t.app.inject({
        method: 'POST',
        url: '/v1/messages',
        headers: auth(org.admin),
        payload: {
          model: 'claude-zz-unlisted',
          max_tokens: 100,
          messages: [{ role: 'user', content: 'hi' }],
        },
      });
      expect(anthropic.statusCode).toBe(400);
      expect(anthropic.json()).toMatchObject({ type: 'error', error: { code: 'price_unknown' } });
      expect(t.openai.requests.length).toBe(upstreamCalls);

      const byMember = await t.app.inject({
        method: 'PUT',
        url: '/api/budget/prices',
        headers: auth(org.member),
        payload: { models: { 'openai/gpt-zz-unlisted': { inputUsdPerMTok: 1, outputUsdPerMTok: 2 } } },
      });
      expect(byMember.statusCode).toBe(403);
      const priced = await t.app.inject({
        method: 'PUT',
        url: '/api/budget/prices',
        headers: auth(org.admin),
        payload: { models: { 'openai/gpt-zz-unlisted': { inputUsdPerMTok: 1, outputUsdPerMTok: 2 } } },
      });
      expect(priced.statusCode).toBe(200);
      expect(priced.json().prices.models['openai/gpt-zz-unlisted']).toEqual({
        inputUsdPerMTok: 1,
        outputUsdPerMTok: 2,
      });
      expect((await t.events(org.org, 'cp.budget.prices.set')).map((e) => e.data)).toEqual([
        {
          models: {
            'openai/gpt-zz-unlisted': { inputMicrosPerMTok: 1_000_000, outputMicrosPerMTok: 2_000_000 },
          },
          defaultPrice: null,
        },
      ]);
      t.openai.script({ text: 'ok', usage: { input: 10, output: 20 } });
      const allowed = await chat(org.admin, { model: 'gpt-zz-unlisted', max_tokens: 100 });
      expect(allowed.statusCode).toBe(200);
      const completed = (await t.events(org.org, 'cp.llm.call.completed')).at(-1)!.data as Data;
      // 10 × 1 + 20 × 2 µUSD, rounded up.
      expect(completed).toMatchObject({ costMicros: 50, priceVersion: 'org' });

      // A default price covers every other unpriced model.
      await t.app.inject({
        method: 'PUT',
        url: '/api/budget/prices',
        headers: auth(org.admin),
        payload: { defaultPrice: { inputUsdPerMTok: 3, outputUsdPerMTok: 3 } },
      });
      t.openai.script({ text: 'ok', usage: { input: 10, output: 10 } });
      expect((await chat(org.admin, { model: 'gpt-yy-unlisted', max_tokens: 100 })).statusCode).toBe(200);
      expect((await t.events(org.org, 'cp.llm.call.completed')).at(-1)!.data).toMatchObject({
        costMicros: 60,
        priceVersion: 'org-default',
      });
    });

    it('lets unpriced models through without a cap, and lists them as unpriced', async () => {
      const org = await capped(null);
      for (let i = 0; i < 3; i++) {
        t.openai.script({ text: 'ok', usage: { input: 10, output: 5 } });
        expect((await chat(org.member, { model: 'gpt-zz-unlisted', max_tokens: 100 })).statusCode).toBe(200);
      }
      const view = (
        await t.app.inject({ method: 'GET', url: '/api/budget', headers: auth(org.member) })
      ).json();
      expect(view.unpricedModels).toEqual([{ model: 'openai/gpt-zz-unlisted', calls: 3 }]);
      expect(view.spentUsd).toBe(0);
    });
  });
}
