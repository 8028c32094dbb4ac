import { testDrivers } from '@proofpane/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, createKey, registerAccount } from '../identity/testing/identity-test-app.js';
import { createGatewayTestApp, type GatewayTestApp } from './testing/gateway-test-app.js';

for (const driver of testDrivers) {
  describe(`tenancy of policy, budget and provider keys on ${driver}`, () => {
    let t: GatewayTestApp;
    let otherKey: string;
    beforeAll(async () => {
      t = await createGatewayTestApp({ driver });
      const other = await registerAccount(t.app);
      otherKey = (await createKey(t.app, { token: other.token, role: 'admin' })).key;
      await t.app.inject({
        method: 'PUT',
        url: '/api/policy',
        headers: auth(t.key),
        payload: { models: ['demo'] },
      });
      await t.app.inject({
        method: 'PUT',
        url: '/api/budget',
        headers: auth(t.key),
        payload: { monthlyUsdCap: 12.5 },
      });
      await t.app.inject({
        method: 'PUT',
        url: '/api/provider-keys/anthropic',
        headers: auth(t.key),
        payload: { apiKey: 'sk-ant-org-a-secret-key' },
      });
    });
    afterAll(() => t.close());

    it('another org reads only its own policy, budget and keys', async () => {
      const policy = await t.app.inject({ method: 'GET', url: '/api/policy', headers: auth(otherKey) });
      expect(policy.json().version).toBe(0);
      const budget = await t.app.inject({ method: 'GET', url: '/api/budget', headers: auth(otherKey) });
      expect(budget.json().monthlyUsdCap).toBeNull();
      const keys = await t.app.inject({ method: 'GET', url: '/api/provider-keys', headers: auth(otherKey) });
      expect(keys.json()).toEqual({ providerKeys: [] });
    });

    it("another org's changes never touch this org", async () => {
      await t.app.inject({
        method: 'PUT',
        url: '/api/policy',
        headers: auth(otherKey),
        payload: { models: ['gpt-*'] },
      });
      await t.app.inject({
        method: 'PUT',
        url: '/api/budget',
        headers: auth(otherKey),
        payload: { monthlyUsdCap: 1 },
      });
      const del = await t.app.inject({
        method: 'DELETE',
        url: '/api/provider-keys/anthropic',
        headers: auth(otherKey),
      });
      expect(del.statusCode).toBe(404);
      const policy = await t.app.inject({ method: 'GET', url: '/api/policy', headers: auth(t.key) });
      expect(policy.json()).toMatchObject({ version: 1, document: { models: ['demo'] } });
      const budget = await t.app.inject({ method: 'GET', url: '/api/budget', headers: auth(t.key) });
      expect(budget.json().monthlyUsdCap).toBe(12.5);
      const keys = await t.app.inject({ method: 'GET', url: '/api/provider-keys', headers: auth(t.key) });
      expect(keys.json().providerKeys.map((k: { provider: string }) => k.provider)).toEqual(['anthropic']);
    });

    it('requires authentication on every gateway route', async () => {
      for (const [method, url] of [
        ['GET', '/api/policy'],
        ['GET', '/api/budget'],
        ['GET', '/api/provider-keys'],
        ['GET', '/v1/models'],
      ] as const) {
        const res = await t.app.inject({ method, url });
        expect(res.statusCode, url).toBe(401);
      }
    });
  });
}
