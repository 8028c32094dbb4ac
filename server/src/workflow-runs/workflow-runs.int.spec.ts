import type { WorkflowGraph } from '@proofpane/commands';
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

const trigger = {
  id: 'start',
  type: 'trigger',
  config: {
    kind: 'manual',
    inputSchema: {
      type: 'object',
      properties: { name: { type: 'string' }, description: { type: 'string' } },
      required: ['name', 'description'],
    },
  },
};
const classify = {
  id: 'classify',
  type: 'skill',
  config: {
    skill: 'intake.classify_use_case',
    input: { name: '$.input.name', description: '$.input.description' },
  },
};

/** classify → was it confident? → a person reviews the rationale, or the run ends. */
const reviewed: WorkflowGraph = {
  nodes: [
    trigger as WorkflowGraph['nodes'][number],
    classify as WorkflowGraph['nodes'][number],
    {
      id: 'sure',
      type: 'condition',
      config: { value: '$.nodes.classify.output.confidence', op: 'gte', compareTo: 0 },
    },
    {
      id: 'review',
      type: 'hitl',
      config: { summary: '$.nodes.classify.output.rationale', timeoutSeconds: 3600 },
    },
  ],
  edges: [
    { from: 'start', to: 'classify' },
    { from: 'classify', to: 'sure' },
    { from: 'sure', to: 'review', when: 'true' },
  ],
};
const plain: WorkflowGraph = {
  nodes: [trigger as WorkflowGraph['nodes'][number], classify as WorkflowGraph['nodes'][number]],
  edges: [{ from: 'start', to: 'classify' }],
};
const input = {
  name: 'Help-centre assistant',
  description: 'A chatbot answers customer questions about orders.',
};

for (const driver of testDrivers) {
  describe(`workflow runs over HTTP on ${driver}`, () => {
    let t: TestApp;
    let owner: Account;
    let stranger: Account;

    beforeAll(async () => {
      t = await createIdentityTestApp({ driver, env: { PROOFPANE_WORKFLOW_SWEEP_MS: '50' } });
      owner = await registerAccount(t.app);
      stranger = await registerAccount(t.app);
    });
    afterAll(() => t.dispose());

    const call = (token: string, options: InjectOptions) =>
      t.app.inject({ ...options, headers: { ...auth(token), ...options.headers } });
    const published = async (graph: WorkflowGraph, name = 'intake') => {
      const created = await call(owner.token, {
        method: 'POST',
        url: '/api/workflows',
        payload: { name, graph },
      });
      expect(created.statusCode, created.body).toBe(201);
      const id = created.json().id as string;
      expect(
        (await call(owner.token, { method: 'POST', url: `/api/workflows/${id}/publish` })).statusCode,
      ).toBe(200);
      return id;
    };
    const run = (id: string) => call(owner.token, { method: 'GET', url: `/api/workflow-runs/${id}` });
    const settled = async (id: string, statuses: string[]) => {
      for (let i = 0; i < 400; i++) {
        const body = (await run(id)).json();
        if (statuses.includes(body.status)) return body;
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error(`run ${id} never became ${statuses.join(' or ')}`);
    };

    it('refuses an input the trigger schema rejects, naming the field, before anything is recorded', async () => {
      const id = await published(plain);
      const before = await t.runtime.store.head(owner.org);
      const res = await call(owner.token, {
        method: 'POST',
        url: `/api/workflows/${id}/runs`,
        payload: { input: { name: 'x', description: 7 } },
      });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({
        code: 'run_input_invalid',
        errors: [{ field: 'body.input.description', message: 'must be string' }],
      });
      expect(await t.runtime.store.head(owner.org)).toEqual(before);
      const draft = await call(owner.token, {
        method: 'POST',
        url: '/api/workflows',
        payload: { name: 'draft', graph: plain },
      });
      const unpublished = await call(owner.token, {
        method: 'POST',
        url: `/api/workflows/${draft.json().id}/runs`,
        payload: { input },
      });
      expect(unpublished.json()).toMatchObject({ code: 'workflow_not_published' });
      expect(unpublished.statusCode).toBe(409);
    });

    it('runs a published version to the end, the skill step a run of its own under the workflow run', async () => {
      const id = await published(plain);
      const started = await call(owner.token, {
        method: 'POST',
        url: `/api/workflows/${id}/runs`,
        payload: { input },
      });
      expect(started.statusCode).toBe(202);
      const { runId, version } = started.json();
      expect(version).toBe(1);
      const done = await settled(runId, ['succeeded', 'failed']);
      expect(done).toMatchObject({ status: 'succeeded', workflowId: id, version: 1, input });
      expect(done.steps).toEqual([
        expect.objectContaining({
          nodeId: 'classify',
          status: 'completed',
          attempts: 1,
          childRunId: expect.any(String),
        }),
      ]);
      expect(done.steps[0].output).toHaveProperty('category');
      // The list is a read model: it shows the run once the projection applied its events.
      const listed = async (url: string) => (await call(owner.token, { method: 'GET', url })).json().runs;
      const succeeded = `/api/workflow-runs?workflow=${id}&status=succeeded`;
      for (let i = 0; i < 200 && (await listed(succeeded)).length === 0; i++)
        await new Promise((r) => setTimeout(r, 25));
      expect((await listed(succeeded)).map((r: { id: string }) => r.id)).toEqual([runId]);
      expect(await listed(`/api/workflow-runs?workflow=${id}&status=failed`)).toEqual([]);
      expect(
        (await call(stranger.token, { method: 'GET', url: `/api/workflow-runs/${runId}` })).statusCode,
      ).toBe(404);
      expect(
        (await call(stranger.token, { method: 'GET', url: `/api/workflow-runs?workflow=${id}` })).json().runs,
      ).toEqual([]);
      const chain = await t.runtime.store.verifyChain({ org: owner.org });
      expect(chain.ok).toBe(true);
      const skillRun = done.steps[0].childRunId as string;
      const skillStart = (
        await t.runtime.store.readSubject({ org: owner.org, subject: `run/${skillRun}` })
      )[0];
      expect(skillStart).toMatchObject({
        type: 'cp.run.started',
        data: { kind: 'skill' },
        meta: { parentRunId: runId },
      });
    });

    it('waits for a person on a hitl step and resumes when they approve', async () => {
      const id = await published(reviewed, 'reviewed');
      const { runId } = (
        await call(owner.token, { method: 'POST', url: `/api/workflows/${id}/runs`, payload: { input } })
      ).json();
      const waiting = await settled(runId, ['waiting', 'failed']);
      expect(waiting.status).toBe('waiting');
      const review = waiting.steps.find((s: { nodeId: string }) => s.nodeId === 'review');
      expect(review).toMatchObject({ status: 'waiting', hitlRequestId: expect.any(String) });
      // The wait is recorded first, then the request opened under its id: it appears a moment later.
      const requested = () => call(owner.token, { method: 'GET', url: `/api/hitl/${review.hitlRequestId}` });
      let request = await requested();
      for (let i = 0; i < 200 && request.statusCode === 404; i++) {
        await new Promise((r) => setTimeout(r, 25));
        request = await requested();
      }
      expect(request.json()).toMatchObject({
        kind: 'workflow_step',
        target: `workflow/${id}/review`,
        status: 'pending',
      });
      const resolved = await call(owner.token, {
        method: 'POST',
        url: `/api/hitl/${review.hitlRequestId}/resolve`,
        payload: { decision: 'approve' },
      });
      expect(resolved.statusCode).toBe(200);
      const done = await settled(runId, ['succeeded', 'failed']);
      expect(done.status).toBe('succeeded');
      expect(done.steps.map((s: { nodeId: string; outcome?: string }) => [s.nodeId, s.outcome])).toEqual([
        ['classify', undefined],
        ['sure', 'true'],
        ['review', 'approved'],
      ]);
    });

    it('cancels a run once; a second cancel is refused as finished', async () => {
      const id = await published(reviewed, 'to cancel');
      const { runId } = (
        await call(owner.token, { method: 'POST', url: `/api/workflows/${id}/runs`, payload: { input } })
      ).json();
      await settled(runId, ['waiting']);
      const cancelled = await call(owner.token, {
        method: 'POST',
        url: `/api/workflow-runs/${runId}/cancel`,
        payload: { reason: 'superseded' },
      });
      expect(cancelled.statusCode).toBe(200);
      expect(cancelled.json()).toMatchObject({ status: 'cancelled', error: 'superseded' });
      const again = await call(owner.token, {
        method: 'POST',
        url: `/api/workflow-runs/${runId}/cancel`,
        payload: {},
      });
      expect(again.statusCode).toBe(409);
      expect(again.json().code).toBe('run_finished');
      expect(
        (
          await call(stranger.token, {
            method: 'POST',
            url: `/api/workflow-runs/${runId}/cancel`,
            payload: {},
          })
        ).statusCode,
      ).toBe(404);
    });

    it("fails an mcp_call step on a server the org's MCP registry does not have", async () => {
      const graph: WorkflowGraph = {
        nodes: [
          { id: 'start', type: 'trigger', config: { kind: 'manual' } },
          { id: 'ask', type: 'mcp_call', config: { server: 'files', tool: 'read', args: {} } },
        ],
        edges: [{ from: 'start', to: 'ask' }],
      };
      const created = await call(owner.token, {
        method: 'POST',
        url: '/api/workflows',
        payload: { name: 'mcp', graph },
      });
      expect(created.statusCode, created.body).toBe(201);
      const id = created.json().id;
      await call(owner.token, { method: 'POST', url: `/api/workflows/${id}/publish` });
      const { runId } = (
        await call(owner.token, { method: 'POST', url: `/api/workflows/${id}/runs`, payload: {} })
      ).json();
      const done = await settled(runId, ['failed', 'succeeded']);
      expect(done.status).toBe('failed');
      expect(done.steps[0]).toMatchObject({
        nodeId: 'ask',
        status: 'failed',
        error: { code: 'mcp_server_not_published' },
      });
    });
  });
}
