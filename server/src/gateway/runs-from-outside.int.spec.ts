import { testDrivers } from '@proofpane/core/testing';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth } from '../identity/testing/identity-test-app.js';
import { createGatewayTestApp, type GatewayTestApp } from './testing/gateway-test-app.js';

async function until<T>(probe: () => Promise<T | undefined>, what: string, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

for (const driver of testDrivers) {
  describe(`runs from outside the gateway on ${driver}`, () => {
    let t: GatewayTestApp;
    beforeAll(async () => {
      t = await createGatewayTestApp({ driver });
    });
    afterAll(() => t.close());

    const client = (headers: Record<string, string>) =>
      new OpenAI({ apiKey: t.key, baseURL: `${t.url}/v1`, maxRetries: 0, defaultHeaders: headers });
    const ask = (headers: Record<string, string>) =>
      client(headers).chat.completions.create({ model: 'demo', messages: [{ role: 'user', content: 'hi' }] });

    it('starts a run on its first call, joins it on later ones, and nests it under its parent', async () => {
      await ask({ 'x-proofpane-run-id': 'agent-parent', 'x-proofpane-run-name': 'nightly agent' });
      await ask({
        'x-proofpane-run-id': 'agent-child',
        'x-proofpane-parent-run-id': 'agent-parent',
        'x-proofpane-run-name': 'research step',
      });
      await ask({ 'x-proofpane-run-id': 'agent-child' });

      const org = t.account.org;
      const started = (await t.runtime.store.readOrg({ org })).filter((e) => e.type === 'cp.run.started');
      expect(started.map((e) => [e.subject, e.data, e.meta])).toEqual([
        ['run/agent-parent', { kind: 'gateway-session', name: 'nightly agent' }, { runId: 'agent-parent' }],
        [
          'run/agent-child',
          { kind: 'gateway-session', name: 'research step' },
          { runId: 'agent-child', parentRunId: 'agent-parent' },
        ],
      ]);
      const callEvents = (await t.runtime.store.readOrg({ org })).filter((e) =>
        e.subject.startsWith('call/'),
      );
      const byRun = new Map<string, Set<string>>();
      for (const e of callEvents) {
        const runId = (e.meta as { runId?: string }).runId ?? 'none';
        byRun.set(runId, (byRun.get(runId) ?? new Set()).add(e.subject));
      }
      expect(byRun.get('agent-parent')?.size).toBe(1);
      expect(byRun.get('agent-child')?.size).toBe(2);
      expect(callEvents.filter((e) => e.type === 'cp.llm.call.completed')).toHaveLength(3);
      for (const e of callEvents) expect((e.meta as { runId?: string }).runId, e.type).toBeDefined();

      // The read model counts every event of a run: wait until it has caught up with the log.
      const logged = (runId: string) =>
        callEvents.filter((e) => (e.meta as { runId?: string }).runId === runId).length +
        started.filter((e) => (e.meta as { runId?: string }).runId === runId).length;
      const tree = await until(async () => {
        const res = await t.app.inject({
          method: 'GET',
          url: '/api/runs/agent-parent/tree',
          headers: auth(t.key),
        });
        const run = res.statusCode === 200 ? res.json().run : undefined;
        const caughtUp =
          run?.events === logged('agent-parent') && run.children[0]?.events === logged('agent-child');
        return caughtUp ? run : undefined;
      }, 'the run tree to hold both runs and all their events');
      expect(tree).toMatchObject({
        id: 'agent-parent',
        kind: 'gateway-session',
        name: 'nightly agent',
        rollup: { count: 2 },
        children: [{ id: 'agent-child', parentRunId: 'agent-parent', name: 'research step' }],
      });
      expect(tree.children[0].events).toBeGreaterThan(tree.events);
    });

    it('refuses run headers it cannot use, naming the header, and audits the refusal', async () => {
      for (const [headers, named] of [
        [{ 'x-proofpane-run-id': 'has space' }, 'x-proofpane-run-id'],
        [{ 'x-proofpane-run-id': 'ok', 'x-proofpane-parent-run-id': '../up' }, 'x-proofpane-parent-run-id'],
        [{ 'x-proofpane-run-name': 'orphan' }, 'x-proofpane-run-id'],
        [{ 'x-proofpane-run-id': 'ok', 'x-proofpane-run-name': 'n'.repeat(201) }, 'x-proofpane-run-name'],
      ] as const) {
        const error = (await ask(headers).catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
        expect(error.status).toBe(400);
        expect(error.message).toContain(named);
      }
    });
  });
}
