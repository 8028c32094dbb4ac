import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WorkflowGraph } from '@proofpane/commands';
import { type EventEnvelope, openDatabase, PostgresEventStore } from '@proofpane/core';
import { createTestDatabase, type TestDatabase } from '@proofpane/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChildServer, request, startChildServer } from './testing/child-server.js';

const classify = (id: string): WorkflowGraph['nodes'][number] => ({
  id,
  type: 'skill',
  config: {
    skill: 'intake.classify_use_case',
    input: { name: '$.input.name', description: '$.input.description' },
  },
});
const graph: WorkflowGraph = {
  nodes: [
    { id: 'start', type: 'trigger', config: { kind: 'manual' } },
    classify('one'),
    classify('two'),
    classify('three'),
  ],
  edges: [
    { from: 'start', to: 'one' },
    { from: 'one', to: 'two' },
    { from: 'two', to: 'three' },
  ],
};
const input = { name: 'Help-centre assistant', description: 'A chatbot answers questions about orders.' };
const LEASE_MS = 3_000;

describe.runIf(process.env.DATABASE_URL)('two server processes sharing PostgreSQL', () => {
  let test: TestDatabase;
  const dirs: string[] = [];
  const servers: ChildServer[] = [];

  beforeAll(async () => {
    test = await createTestDatabase('postgres');
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.kill()));
    await test.dispose();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  const worker = async (id: string) => {
    const dir = mkdtempSync(join(tmpdir(), `proofpane-worker-${id}-`));
    dirs.push(dir);
    const server = await startChildServer({
      PROOFPANE_DATA_DIR: dir,
      DATABASE_URL: test.url!,
      PROOFPANE_WORKER_ID: id,
      PROOFPANE_WORKFLOW_LEASE_MS: String(LEASE_MS),
      PROOFPANE_WORKFLOW_SWEEP_MS: '50',
      PROOFPANE_DEMO_LATENCY_MS: '300',
      PROOFPANE_CHECKPOINT_INTERVAL_S: '0',
      // Both processes sign sessions alike and share the master key, as replicas of one deployment do.
      PROOFPANE_MASTER_KEY: Buffer.alloc(32, 7).toString('base64'),
    });
    servers.push(server);
    return server;
  };

  it('never runs a step in both, and the survivor takes over the dead one’s runs once their leases end', async () => {
    const a = await worker('alpha');
    const b = await worker('beta');
    const registered = await request<{ token: string; org: { id: string } }>(`${a.url}/api/auth/register`, {
      method: 'POST',
      body: { email: `two-${Date.now()}@example.test`, password: 'quartz lantern meadow 7', orgName: 'Two' },
    });
    const { token } = registered.body;
    const org = registered.body.org.id;
    const created = await request<{ id: string }>(`${a.url}/api/workflows`, {
      method: 'POST',
      token,
      body: { name: 'shared', graph },
    });
    await request(`${a.url}/api/workflows/${created.body.id}/publish`, { method: 'POST', token });
    const runs: string[] = [];
    for (let i = 0; i < 16; i++) {
      const via = i % 2 === 0 ? a : b;
      const started = await request<{ runId: string }>(`${via.url}/api/workflows/${created.body.id}/runs`, {
        method: 'POST',
        token,
        body: { input },
      });
      expect(started.status).toBe(202);
      runs.push(started.body.runId);
    }
    const view = async (runId: string) =>
      (
        await request<{ status: string; steps: { status: string }[] }>(
          `${b.url}/api/workflow-runs/${runId}`,
          { token },
        )
      ).body;
    // Kill alpha while its runs are mid-way.
    for (let i = 0; i < 500; i++) {
      const done = (await Promise.all(runs.map(view)))
        .flatMap((r) => r.steps)
        .filter((s) => s.status === 'completed');
      if (done.length >= 8) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    await a.kill();
    for (let i = 0; i < 1_500; i++) {
      const statuses = (await Promise.all(runs.map(view))).map((r) => r.status);
      if (statuses.every((s) => s === 'succeeded')) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    await b.kill();

    const database = await openDatabase({ url: test.url!, poolSize: 2 });
    const store = await PostgresEventStore.open({ database });
    try {
      let takenOver = 0;
      for (const runId of runs) {
        const log = await store.readSubject({ org, subject: `run/${runId}` });
        expect(log.at(-1)).toMatchObject({ type: 'cp.run.completed', data: { status: 'succeeded' } });
        const data = (e: EventEnvelope) =>
          e.data as { nodeId: string; attempt: number; holder: string; expiresAt: string };
        const completed = log
          .filter((e) => e.type === 'cp.workflow.step.completed')
          .map((e) => data(e).nodeId);
        expect(completed).toEqual(['one', 'two', 'three']);
        const started = log
          .filter((e) => e.type === 'cp.workflow.step.started')
          .map((e) => `${data(e).nodeId}#${data(e).attempt}`);
        expect(new Set(started).size).toBe(started.length);
        // A lease changes hands only after it ended or was given back.
        let lease: { holder: string; expiresAt: string } | undefined;
        for (const event of log) {
          if (event.type === 'cp.workflow.run.released' || event.type === 'cp.run.completed')
            lease = undefined;
          if (event.type !== 'cp.workflow.run.leased') continue;
          const next = data(event);
          if (lease && lease.holder !== next.holder) {
            expect(Date.parse(event.time)).toBeGreaterThanOrEqual(Date.parse(lease.expiresAt));
            if (lease.holder.startsWith('alpha/') && next.holder.startsWith('beta/')) takenOver += 1;
          }
          lease = { holder: next.holder, expiresAt: next.expiresAt };
        }
      }
      expect(takenOver).toBeGreaterThan(0);
      expect((await store.verifyChain({ org })).ok).toBe(true);
    } finally {
      await store.close();
      await database.close();
    }
  });
});
