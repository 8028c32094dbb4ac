import { testDrivers } from '@proofpane/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Account,
  auth,
  createIdentityTestApp,
  createKey,
  registerAccount,
} from '../identity/testing/identity-test-app.js';
import type { TestApp } from '../testing/test-app.js';

const TOKEN = 'metrics-scrape-token-0123456789';

/** The value of one sample line, or undefined when the series is absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (!Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) continue;
    return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

for (const driver of testDrivers) {
  describe(`GET /metrics on ${driver}`, () => {
    let t: TestApp;
    let owner: Account;
    let key: string;

    beforeAll(async () => {
      t = await createIdentityTestApp({ driver, env: { PROOFPANE_METRICS_TOKEN: TOKEN } });
      owner = await registerAccount(t.app);
      key = (await createKey(t.app, { token: owner.token })).key;
      for (let i = 0; i < 3; i++) {
        const res = await t.app.inject({
          method: 'POST',
          url: '/v1/chat/completions',
          headers: auth(key),
          payload: { model: 'demo', messages: [{ role: 'user', content: `count me ${i}` }] },
        });
        expect(res.statusCode).toBe(200);
      }
    });
    afterAll(async () => {
      await t.dispose();
    });

    it('refuses a scrape without the token, or with another one', async () => {
      expect((await t.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
      expect(
        (await t.app.inject({ method: 'GET', url: '/metrics', headers: auth(`${TOKEN}x`) })).statusCode,
      ).toBe(401);
      // An org's own credentials are not the scrape token either.
      expect((await t.app.inject({ method: 'GET', url: '/metrics', headers: auth(key) })).statusCode).toBe(
        401,
      );
    });

    it('reports requests per route, gates, appends, budget, projections, loops and the process', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/metrics', headers: auth(TOKEN) });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toContain('text/plain');
      const text = res.body;
      expect(
        sample(text, 'proofpane_http_requests_total', { route: '/v1/chat/completions', status: '200' }),
      ).toBe(3);
      expect(
        sample(text, 'proofpane_http_request_duration_seconds_count', { route: '/v1/chat/completions' }),
      ).toBe(3);
      for (const gate of ['policy', 'budget', 'provider', 'audit'])
        expect(sample(text, 'proofpane_gate_duration_seconds_count', { gate })).toBe(3);
      expect(sample(text, 'proofpane_event_append_duration_seconds_count')).toBeGreaterThan(3);
      expect(sample(text, 'proofpane_events_appended_total', { type: 'cp.llm.call.completed' })).toBe(3);
      const reservations =
        (sample(text, 'proofpane_budget_reservations_total', { kind: 'lease' }) ?? 0) +
        (sample(text, 'proofpane_budget_reservations_total', { kind: 'exact' }) ?? 0);
      expect(reservations).toBe(3);
      expect(
        sample(text, 'proofpane_projection_lag_events', { projection: 'audit-index' }),
      ).toBeGreaterThanOrEqual(0);
      expect(sample(text, 'proofpane_loop_running', { loop: 'evidence-checkpoints' })).toBe(1);
      expect(sample(text, 'proofpane_sse_connections')).toBe(0);
      expect(sample(text, 'proofpane_device_connections')).toBe(0);
      expect(sample(text, 'proofpane_nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
      expect(sample(text, 'proofpane_process_resident_memory_bytes')).toBeGreaterThan(0);
      // Labels name routes, never the tenant or its credentials.
      expect(text).not.toContain(owner.org);
      expect(text).not.toContain(key);
    });
  });
}
