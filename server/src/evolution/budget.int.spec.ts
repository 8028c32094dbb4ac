import type { NewEvent } from '@proofpane/core';
import { testDrivers } from '@proofpane/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Account, auth, registerAccount } from '../identity/testing/identity-test-app.js';
import { createClockedApp } from '../quality-drift/testing.js';

const T0 = Date.parse('2026-06-10T09:00:00.000Z');
const NEXT_MONTH = Date.parse('2026-07-02T09:00:00.000Z');

/** A governed call as the gateway records it, on the given route and at the given cost. */
const call = (id: string, route: string, costMicros: number): NewEvent => ({
  type: 'cp.llm.call.completed',
  subject: `call/${id}`,
  actor: { kind: 'system', id: 'evolution-dream' },
  meta: {},
  data: {
    provider: 'demo',
    model: 'demo',
    demo: true,
    stream: false,
    route,
    inputTokens: 10,
    outputTokens: 10,
    costMicros,
    priceVersion: '2026-01',
    latencyMs: 1,
    attempts: 1,
    finishReason: 'stop',
    toolCalls: 0,
    capsuleId: null,
    promptSha256: 'a'.repeat(64),
    completionSha256: 'b'.repeat(64),
  },
});

for (const driver of testDrivers) {
  describe(`the evolution budget line on ${driver}`, () => {
    let t: Awaited<ReturnType<typeof createClockedApp>>;
    let owner: Account;
    beforeAll(async () => {
      t = await createClockedApp({ driver, start: new Date(T0) });
      owner = await registerAccount(t.app);
    });
    afterAll(() => t.dispose());

    const request = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
      t.app.inject({ method, url, headers: auth(owner.token), ...(payload ? { payload } : {}) });
    const caughtUp = async () => {
      for (let i = 0; i < 500; i++) {
        const res = await request('GET', '/api/admin/projections');
        const models = res.json().projections as { name: string; lag: number }[] | undefined;
        if (models?.every((m) => m.lag === 0)) return;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error('the read models did not catch up');
    };
    const settings = (monthlyBudgetUsd: number) => ({
      dreamsEnabled: true,
      dreamIntervalMinutes: 5,
      maxOpenProposals: 3,
      staleAfterDays: null,
      replayInputs: 2,
      model: null,
      monthlyBudgetUsd,
    });
    const ofType = async (type: string) =>
      (await t.store.readOrg({ org: owner.org })).filter((e) => e.type === type);

    it('stops dreaming at the line, records the stop once for the month, and dreams again next month', async () => {
      expect((await request('PUT', '/api/evolution/settings', settings(1))).json().monthlyBudgetUsd).toBe(1);
      // This month's evolution calls reach the $1 line; spend on other routes does not count against it.
      await t.store.append({
        org: owner.org,
        events: [
          call('call_e1', 'evolution', 600_000),
          call('call_e2', 'evolution', 400_000),
          call('call_v1', '/v1/messages', 9_000_000),
        ],
      });
      await caughtUp();

      const first = await t.app.evolution.dreamPass(owner.org, new Date(T0));
      const second = await t.app.evolution.dreamPass(owner.org, new Date(T0 + 60 * 60_000));
      expect([first.dreamt, second.dreamt]).toEqual([false, false]);
      expect(await ofType('cp.evolution.dream.started')).toHaveLength(0);
      const capped = await ofType('cp.evolution.budget.capped');
      expect(capped.map((e) => [e.subject, e.data])).toEqual([
        ['evolution-budget/2026-06', { month: '2026-06', spentMicros: 1_000_000, budgetMicros: 1_000_000 }],
      ]);

      // A new month starts a new line.
      t.clock.now = new Date(NEXT_MONTH);
      const next = await t.app.evolution.dreamPass(owner.org, new Date(NEXT_MONTH));
      expect(next.dreamt).toBe(true);
      expect(await ofType('cp.evolution.budget.capped')).toHaveLength(1);
      t.clock.now = new Date(T0);
    });

    it('dreams under the line', async () => {
      const other = await registerAccount(t.app);
      const put = await t.app.inject({
        method: 'PUT',
        url: '/api/evolution/settings',
        headers: auth(other.token),
        payload: settings(2),
      });
      expect(put.statusCode).toBe(200);
      await t.store.append({ org: other.org, events: [call('call_o1', 'evolution', 1_000_000)] });
      await caughtUp();
      expect((await t.app.evolution.dreamPass(other.org, new Date(T0))).dreamt).toBe(true);
      const events = await t.store.readOrg({ org: other.org });
      expect(events.some((e) => e.type === 'cp.evolution.budget.capped')).toBe(false);
    });

    it('refuses a replay once the line is spent, before any model call', async () => {
      await request('PUT', '/api/evolution/settings', settings(0));
      const gene = await request('POST', '/api/genes', {
        skill: 'intake.classify_use_case',
        text: 'Name the category first.',
        rationale: 'Runs were repaired',
      });
      expect(gene.statusCode).toBe(201);
      const calls = (await ofType('cp.llm.call.completed')).length;
      const replay = await request('POST', `/api/genes/${gene.json().id}/replay`, {});
      expect(replay.statusCode).toBe(402);
      expect(replay.json().code).toBe('evolution_budget_exhausted');
      expect(await ofType('cp.llm.call.completed')).toHaveLength(calls);
      expect(await ofType('cp.evolution.gene.replayed')).toHaveLength(0);
    });
  });
}
