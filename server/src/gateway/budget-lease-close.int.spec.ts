import { testDrivers } from '@proofpane/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth } from '../identity/testing/identity-test-app.js';
import { createGatewayTestApp, type GatewayTestApp } from './testing/gateway-test-app.js';

for (const driver of testDrivers) {
  describe(`budget leases when the server stops on ${driver}`, () => {
    let t: GatewayTestApp;
    beforeAll(async () => {
      t = await createGatewayTestApp({ driver });
    });
    afterAll(() => t.close());

    it('gives back the unused part of its leases on close, not after their TTL', async () => {
      const cap = await t.app.inject({
        method: 'PUT',
        url: '/api/budget',
        headers: auth(t.key),
        payload: { monthlyUsdCap: 100 },
      });
      expect(cap.statusCode).toBe(200);
      t.openai.script({ text: 'ok', usage: { input: 10, output: 5 } });
      const call = await t.app.inject({
        method: 'POST',
        url: '/v1/chat/completions',
        headers: auth(t.key),
        payload: { model: 'gpt-4o-mini', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] },
      });
      expect(call.statusCode).toBe(200);
      const granted = await t.events(t.account.org, 'cp.budget.lease.granted');
      expect(granted).toHaveLength(1);
      expect(await t.events(t.account.org, 'cp.budget.lease.released')).toHaveLength(0);

      await t.app.close();
      const released = await t.events(t.account.org, 'cp.budget.lease.released');
      expect(released.map((e) => (e.data as { leaseId: string }).leaseId)).toEqual([
        (granted[0]!.data as { leaseId: string }).leaseId,
      ]);
    });
  });
}
