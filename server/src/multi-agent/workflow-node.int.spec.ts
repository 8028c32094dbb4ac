import { testDrivers } from '@proofpane/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RecordedRequest, startFakeOpenAI } from '../../../commands/src/testing/index.js';
import { createGatewayTestApp, type GatewayTestApp } from '../gateway/testing/gateway-test-app.js';

/** A parsed response body, read loosely in assertions. */
type Json = ReturnType<typeof JSON.parse>;

const cityOf = (text: string) => ['paris', 'lyon'].find((c) => text.toLowerCase().includes(c));

/** Entailment by the city named, for the consensus judge; agents take the scripted queue. */
function judgeByCity(request: RecordedRequest) {
  const format = request.body.response_format as { json_schema?: { name?: string } } | undefined;
  if (format?.json_schema?.name !== 'entailment') return undefined;
  const text = JSON.stringify(request.body.messages).replaceAll('\\n', '\n');
  const premise = /Premise: (.*)/.exec(text)?.[1] ?? '';
  const hypothesis = /Hypothesis: (.*)/.exec(text)?.[1] ?? '';
  return { text: JSON.stringify({ entails: cityOf(premise) === cityOf(hypothesis) }) };
}

const trigger = {
  id: 'start',
  type: 'trigger',
  config: {
    kind: 'manual',
    inputSchema: { type: 'object', properties: { question: { type: 'string' } }, required: ['question'] },
  },
};
const graphWith = (config: Record<string, unknown>) => ({
  nodes: [trigger, { id: 'panel', type: 'multi_agent', config }],
  edges: [{ from: 'start', to: 'panel' }],
});

for (const driver of testDrivers) {
  describe(`multi_agent workflow steps on ${driver}`, () => {
    let t: GatewayTestApp;
    const call = async (path: string, body?: unknown) => {
      const res = await fetch(`${t.url}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: {
          authorization: `Bearer ${t.key}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: res.status, body: (await res.json()) as Json };
    };
    const started = async (graph: unknown, question: string) => {
      const created = await call('/api/workflows', { name: `panel ${Math.random()}`, graph });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect((await call(`/api/workflows/${created.body.id}/publish`, {})).status).toBe(200);
      const run = await call(`/api/workflows/${created.body.id}/runs`, { input: { question } });
      expect(run.status, JSON.stringify(run.body)).toBe(202);
      return run.body.runId as string;
    };
    const until = async <T>(read: () => Promise<T | undefined>): Promise<T> => {
      for (;;) {
        const found = await read();
        if (found !== undefined) return found;
        await new Promise((r) => setTimeout(r, 25));
      }
    };
    const ended = (runId: string) =>
      until(async () => {
        const { body } = await call(`/api/workflow-runs/${runId}`);
        return ['succeeded', 'failed', 'cancelled'].includes(body.status) ? body : undefined;
      });

    beforeAll(async () => {
      t = await createGatewayTestApp({
        driver,
        openai: await startFakeOpenAI({ respond: judgeByCity }),
        env: { PROOFPANE_WORKFLOW_SWEEP_MS: '50' },
      });
    });
    afterAll(() => t.close());

    it('runs a consensus node to completion on the demo provider, nested under the workflow run', async () => {
      const runId = await started(
        graphWith({
          strategy: 'consensus',
          method: 'entropy',
          agents: [{ role: 'a' }, { role: 'b' }, { role: 'c' }],
          task: '$.input.question',
        }),
        'Name a colour.',
      );
      const run = await ended(runId);
      expect(run.status, JSON.stringify(run)).toBe('succeeded');
      const step = run.steps.find((s: { nodeId: string }) => s.nodeId === 'panel');
      expect(step.output).toMatchObject({
        entropy: 0,
        escalated: false,
        clusters: [{ size: 3, members: [0, 1, 2] }],
      });
      expect(step.output.answer).toContain('[demo]');
      const tree = await until(async () => {
        const { status, body } = await call(`/api/runs/${runId}/tree`);
        return status === 200 && body.run.children.length === 1 ? body.run : undefined;
      });
      expect(tree.children[0]).toMatchObject({ kind: 'multi-agent', parentRunId: runId });
    });

    it('runs an adversarial review node offline', async () => {
      const runId = await started(
        graphWith({
          strategy: 'adversarial_review',
          agents: [{ role: 'drafter' }],
          task: '$.input.question',
          rounds: 2,
        }),
        'Draft a policy line.',
      );
      const run = await ended(runId);
      expect(run.status).toBe('succeeded');
      expect(run.steps.find((s: { nodeId: string }) => s.nodeId === 'panel').output).toMatchObject({
        rounds: 1,
        stoppedEarly: true,
      });
    });

    it('holds a step whose consensus escalates until a person approves, then goes on with the answer', async () => {
      t.openai.script(...['Paris', 'Lyon', 'Paris', 'Lyon', 'Paris'].map((text) => ({ text })));
      const agent = { provider: 'openai', model: 'gpt-4o-mini' };
      const runId = await started(
        graphWith({
          strategy: 'consensus',
          method: 'entropy',
          agents: ['a', 'b', 'c', 'd', 'e'].map((role) => ({ role, ...agent })),
          task: '$.input.question',
        }),
        'Which city?',
      );
      const request = await until(async () => {
        const { body } = await call('/api/hitl?status=pending&kind=consensus');
        return body.requests.find(
          (r: { context: { choices?: unknown[] } }) => r.context.choices?.length === 2,
        );
      });
      expect((await call(`/api/workflow-runs/${runId}`)).body.status).toBe('running');
      expect((await call(`/api/hitl/${request.id}/resolve`, { decision: 'approve' })).status).toBe(200);
      const run = await ended(runId);
      expect(run.status).toBe('succeeded');
      const output = run.steps.find((s: { nodeId: string }) => s.nodeId === 'panel').output;
      expect(output).toMatchObject({ escalated: true, chosenCluster: 0, hitlRequestId: request.id });
      expect(output.entropy).toBeCloseTo(0.673, 3);
      expect(cityOf(output.answer)).toBe('paris');
    });

    it('fails a step whose strategy has no primitive, saying so', async () => {
      const runId = await started(
        graphWith({ strategy: 'debate', agents: [{ role: 'pro' }], task: '$.input.question' }),
        'Debate.',
      );
      const run = await ended(runId);
      expect(run.status).toBe('failed');
      expect(JSON.stringify(run.steps)).toContain('not_available');
    });
  });
}
