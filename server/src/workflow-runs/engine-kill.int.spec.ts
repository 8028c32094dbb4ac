import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WorkflowGraph } from '@proofpane/commands';
import { type EventEnvelope, openDatabase, PostgresEventStore } from '@proofpane/core';
import { createTestDatabase, type TestDatabase, testDrivers } from '@proofpane/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChildServer, request, startChildServer } from './testing/child-server.js';

interface StepView {
  nodeId: string;
  status: string;
  attempts: number;
  error?: { code: string };
}
interface RunView {
  status: string;
  steps: StepView[];
}

const classify = (id: string, from = '$.input'): WorkflowGraph['nodes'][number] => ({
  id,
  type: 'skill',
  config: {
    skill: 'intake.classify_use_case',
    input: { name: `${from}.name`, description: `${from}.description` },
  },
});

/** Two skill calls in a row (each as slow as the demo provider is told to be), then a condition. */
const skills: WorkflowGraph = {
  nodes: [
    { id: 'start', type: 'trigger', config: { kind: 'manual' } },
    classify('first'),
    classify('second'),
    {
      id: 'sure',
      type: 'condition',
      config: { value: '$.nodes.second.output.confidence', op: 'gte', compareTo: 0 },
    },
  ],
  edges: [
    { from: 'start', to: 'first' },
    { from: 'first', to: 'second' },
    { from: 'second', to: 'sure' },
  ],
};

/** Reads a file that is not there yet: the first attempt fails and the second waits seconds to start. */
const waitsForFile: WorkflowGraph = {
  nodes: [
    { id: 'start', type: 'trigger', config: { kind: 'manual' } },
    {
      id: 'fetch',
      type: 'tool',
      config: { tool: 'read', args: { path: 'ready.txt' }, retry: { maxAttempts: 3, backoffMs: 8_000 } },
    },
  ],
  edges: [{ from: 'start', to: 'fetch' }],
};

const input = { name: 'Help-centre assistant', description: 'A chatbot answers questions about orders.' };
const stepOf = (run: RunView, nodeId: string) => run.steps.find((s) => s.nodeId === nodeId);

for (const driver of testDrivers) {
  describe(`workflow runs through SIGKILLs of the server on ${driver}`, () => {
    let test: TestDatabase | undefined;
    let dataDir: string;
    let server: ChildServer | undefined;

    beforeAll(async () => {
      dataDir = mkdtempSync(join(tmpdir(), 'proofpane-engine-kill-'));
      if (driver === 'postgres') test = await createTestDatabase('postgres');
    });
    afterAll(async () => {
      await server?.kill();
      await test?.dispose();
      rmSync(dataDir, { recursive: true, force: true });
    });

    const env = () => ({
      PROOFPANE_DATA_DIR: dataDir,
      PROOFPANE_DEMO_LATENCY_MS: '1500',
      PROOFPANE_WORKFLOW_SWEEP_MS: '50',
      PROOFPANE_WORKER_ID: 'kill-spec',
      PROOFPANE_CHECKPOINT_INTERVAL_S: '0',
      ...(test?.url ? { DATABASE_URL: test.url } : {}),
    });

    it('completes every step exactly once, retries the interrupted one as a new attempt, and keeps the chain', async () => {
      server = await startChildServer(env());
      const registered = await request<{ token: string; org: { id: string } }>(
        `${server.url}/api/auth/register`,
        {
          method: 'POST',
          body: {
            email: `kill-${Date.now()}@example.test`,
            password: 'quartz lantern meadow 7',
            orgName: 'Killed',
          },
        },
      );
      const { token } = registered.body;
      const org = registered.body.org.id;
      const publish = async (graph: WorkflowGraph) => {
        const created = await request<{ id: string }>(`${server!.url}/api/workflows`, {
          method: 'POST',
          token,
          body: { name: 'kill', graph },
        });
        expect(created.status).toBe(201);
        await request(`${server!.url}/api/workflows/${created.body.id}/publish`, { method: 'POST', token });
        return created.body.id;
      };
      const start = async (workflowId: string, body: unknown) =>
        (
          await request<{ runId: string }>(`${server!.url}/api/workflows/${workflowId}/runs`, {
            method: 'POST',
            token,
            body,
          })
        ).body.runId;
      const view = async (runId: string) =>
        (await request<RunView>(`${server!.url}/api/workflow-runs/${runId}`, { token })).body;
      const until = async (check: () => Promise<boolean>, what: string) => {
        for (let i = 0; i < 1_200; i++) {
          if (await check()) return;
          await new Promise((r) => setTimeout(r, 20));
        }
        throw new Error(`timed out waiting for ${what}`);
      };
      const restart = async () => {
        server = await startChildServer(env());
      };

      const chain = await start(await publish(skills), { input });
      const file = await start(await publish(waitsForFile), {});

      // Kill 1: one run in the middle of a skill call, the other with a step scheduled but not yet started.
      await until(async () => {
        const a = await view(chain);
        const b = await view(file);
        const fetch = stepOf(b, 'fetch');
        return (
          stepOf(a, 'first')?.status === 'running' &&
          fetch?.status === 'scheduled' &&
          fetch.error?.code !== undefined
        );
      }, 'a skill call in flight and a retry waiting to start');
      await server.kill();
      mkdirSync(join(dataDir, 'workspaces', org), { recursive: true });
      writeFileSync(join(dataDir, 'workspaces', org, 'ready.txt'), 'ready');

      // Kill 2: right after a step completed, when the next one is scheduled (and perhaps already started).
      await restart();
      await until(async () => stepOf(await view(chain), 'first')?.status === 'completed', 'the first step');
      await server.kill();

      await restart();
      await until(
        async () => (await view(chain)).status === 'succeeded' && (await view(file)).status === 'succeeded',
        'both runs to finish',
      );
      await server.kill();
      server = undefined;

      const database = test?.url
        ? await openDatabase({ url: test.url, poolSize: 2 })
        : await openDatabase({ dataDir: join(dataDir, 'pglite') });
      const store = await PostgresEventStore.open({ database });
      try {
        const log = async (runId: string) => store.readSubject({ org, subject: `run/${runId}` });
        const steps = (events: EventEnvelope[], type: string) =>
          events
            .filter((e) => e.type === type)
            .map((e) => e.data as { nodeId: string; attempt: number; code?: string; childRunId?: string });

        const a = await log(chain);
        expect(steps(a, 'cp.workflow.step.completed').map((s) => s.nodeId)).toEqual([
          'first',
          'second',
          'sure',
        ]);
        const started = steps(a, 'cp.workflow.step.started').map((s) => `${s.nodeId}#${s.attempt}`);
        expect(new Set(started).size).toBe(started.length);
        expect(steps(a, 'cp.workflow.step.retried')).toContainEqual(
          expect.objectContaining({ nodeId: 'first', attempt: 2, code: 'interrupted' }),
        );
        expect(a.at(-1)).toMatchObject({ type: 'cp.run.completed', data: { status: 'succeeded' } });
        // The skill run the kill cut short is ended, not left running in the run tree.
        const cutShort = steps(a, 'cp.workflow.step.started').find(
          (s) => s.nodeId === 'first' && s.attempt === 1,
        );
        const orphan = await store.readSubject({ org, subject: `run/${cutShort!.childRunId}` });
        expect(orphan.at(-1)).toMatchObject({
          type: 'cp.run.completed',
          data: { status: 'failed', error: 'the workflow worker running it stopped' },
        });

        const b = await log(file);
        expect(steps(b, 'cp.workflow.step.completed').map((s) => `${s.nodeId}#${s.attempt}`)).toEqual([
          'fetch#2',
        ]);
        expect(b.at(-1)).toMatchObject({ type: 'cp.run.completed', data: { status: 'succeeded' } });

        expect((await store.verifyChain({ org })).ok).toBe(true);
      } finally {
        await store.close();
        await database.close();
      }
    });
  });
}
