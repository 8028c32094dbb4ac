import { signHookBody, type WorkflowGraph } from '@proofpane/commands';
import { testDrivers } from '@proofpane/core/testing';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Account,
  auth,
  createIdentityTestApp,
  registerAccount,
} from '../identity/testing/identity-test-app.js';
import type { TestApp } from '../testing/test-app.js';

const triggered = (config: Record<string, unknown>): WorkflowGraph => ({
  nodes: [
    { id: 'start', type: 'trigger', config },
    { id: 'check', type: 'condition', config: { value: '$.input', op: 'exists' } },
  ],
  edges: [{ from: 'start', to: 'check' }],
});

for (const driver of testDrivers) {
  describe(`workflow triggers on ${driver}`, () => {
    let t: TestApp;
    let owner: Account;

    beforeAll(async () => {
      t = await createIdentityTestApp({ driver, env: { PROOFPANE_WORKFLOW_SWEEP_MS: '50' } });
      owner = await registerAccount(t.app);
    });
    afterAll(() => t.dispose());

    const call = (options: InjectOptions) =>
      t.app.inject({ ...options, headers: { ...auth(owner.token), ...options.headers } });
    const publish = async (graph: WorkflowGraph, name: string) => {
      const created = await call({ method: 'POST', url: '/api/workflows', payload: { name, graph } });
      expect(created.statusCode, created.body).toBe(201);
      const id = created.json().id as string;
      expect((await call({ method: 'POST', url: `/api/workflows/${id}/publish` })).statusCode).toBe(200);
      return id;
    };
    const events = async (type: string) =>
      (await t.runtime.store.readOrg({ org: owner.org })).filter((e) => e.type === type);
    const until = async <T>(find: () => Promise<T | undefined>, what: string): Promise<T> => {
      for (let i = 0; i < 600; i++) {
        const found = await find();
        if (found !== undefined) return found;
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error(`timed out waiting for ${what}`);
    };

    it('starts one run per signed delivery; refuses and records bad signatures, stale ones and replays', async () => {
      const id = await publish(
        triggered({
          kind: 'webhook',
          inputSchema: { type: 'object', properties: { ticket: { type: 'integer' } }, required: ['ticket'] },
        }),
        'hooked',
      );
      const hook = await call({ method: 'POST', url: `/api/workflows/${id}/hooks` });
      expect(hook.statusCode).toBe(201);
      const { token, secret, hookId } = hook.json();
      expect(hook.json().url).toMatch(new RegExp(`/api/hooks/${token}$`));
      const deliver = (body: string, options: { timestamp?: number; signature?: string } = {}) => {
        const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
        return t.app.inject({
          method: 'POST',
          url: `/api/hooks/${token}`,
          headers: {
            'content-type': 'application/json',
            'x-proofpane-timestamp': timestamp,
            'x-proofpane-signature': options.signature ?? signHookBody({ secret, timestamp, body }),
          },
          payload: body,
        });
      };

      const timestamp = Math.floor(Date.now() / 1000);
      const accepted = await deliver('{"ticket":42}', { timestamp });
      expect(accepted.statusCode, accepted.body).toBe(202);
      const { runId } = accepted.json();
      const run = await until(async () => {
        const body = (await call({ method: 'GET', url: `/api/workflow-runs/${runId}` })).json();
        return body.status === 'succeeded' ? body : undefined;
      }, 'the delivered run');
      expect(run).toMatchObject({ input: { ticket: 42 }, trigger: { kind: 'webhook', ref: hookId } });

      const replay = await deliver('{"ticket":42}', { timestamp });
      expect(replay.statusCode).toBe(409);
      expect(replay.json().code).toBe('hook_replayed');
      const forged = await deliver('{"ticket":43}', { signature: `sha256=${'0'.repeat(64)}` });
      expect(forged.statusCode).toBe(401);
      expect(forged.json().code).toBe('hook_signature_invalid');
      const stale = await deliver('{"ticket":44}', { timestamp: Math.floor(Date.now() / 1000) - 600 });
      expect(stale.statusCode).toBe(401);
      const wrongInput = await deliver('{"ticket":"x"}');
      expect(wrongInput.statusCode).toBe(400);
      expect(wrongInput.json()).toMatchObject({
        code: 'run_input_invalid',
        errors: [{ field: 'body.ticket' }],
      });

      const refusals = (await events('cp.workflow.hook.refused')).map(
        (e) => (e.data as { reason: string }).reason,
      );
      expect(refusals.sort()).toEqual(['bad_signature', 'replayed', 'stale_timestamp']);
      expect((await events('cp.workflow.run.started')).length).toBe(1);
      const created = (await events('cp.workflow.hook.created'))[0]!;
      expect(JSON.stringify(created)).not.toContain(token);
      expect(JSON.stringify(created)).not.toContain(secret);

      expect((await call({ method: 'DELETE', url: `/api/workflows/${id}/hooks/${hookId}` })).statusCode).toBe(
        200,
      );
      expect((await deliver('{"ticket":45}')).statusCode).toBe(404);
      const listed = (await call({ method: 'GET', url: `/api/workflows/${id}/hooks` })).json();
      expect(listed.hooks).toEqual([
        { hookId, createdAt: expect.any(String), revokedAt: expect.any(String) },
      ]);
    });

    it('fires a schedule on its ticks and an event trigger on an event of its type in the org', async () => {
      const scheduled = await publish(triggered({ kind: 'schedule', cron: '* * * * * *' }), 'every second');
      const onKey = await publish(
        triggered({ kind: 'event', eventType: 'cp.identity.api-key.created' }),
        'on key',
      );
      const runsOf = async (workflowId: string) =>
        (await events('cp.workflow.run.started')).filter(
          (e) => (e.data as { workflowId: string }).workflowId === workflowId,
        );
      const tick = await until(async () => (await runsOf(scheduled))[0], 'a scheduled run');
      expect(tick.data).toMatchObject({
        trigger: { kind: 'schedule', ref: expect.stringMatching(/^\d{4}-/) },
      });

      const key = await call({
        method: 'POST',
        url: '/api/api-keys',
        payload: { name: 'ci', role: 'member' },
      });
      expect(key.statusCode).toBe(201);
      const started = await until(async () => (await runsOf(onKey))[0], 'the event-triggered run');
      const keyEvent = (await events('cp.identity.api-key.created'))[0]!;
      expect(started.data).toMatchObject({
        trigger: { kind: 'event', ref: keyEvent.id },
        input: { event: { id: keyEvent.id, type: 'cp.identity.api-key.created' } },
      });
      // One run per event, however many times the event is seen.
      await new Promise((r) => setTimeout(r, 300));
      expect(await runsOf(onKey)).toHaveLength(1);
    });
  });
}
