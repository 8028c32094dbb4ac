import { type EventEnvelope, type EventStore, PostgresEventStore } from '@proofpane/core';
import { createTestDatabase, type TestDatabase, testDrivers } from '@proofpane/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkflowGraph } from '../workflows/graph.js';
import { cancelWorkflowRun } from './cancel-run.js';
import type { PinnedWorkflow } from './decide.js';
import { WorkflowEngine, type WorkflowEngineOptions } from './engine.js';
import type { StepExecutor } from './executors.js';
import { createKeptOutputs, MAX_KEPT_OUTPUT_BYTES, migrateWorkflowKeptOutputs } from './kept-outputs.js';
import type { ApprovalDecision, HumanApprovals, RunIndex } from './ports.js';
import { startWorkflowRun } from './start-run.js';
import { workerIdentity } from './worker-identity.js';

const actor = { kind: 'user' as const, id: 'usr_spec' };
const sha = (n: number) => n.toString(16).padStart(64, '0');

/** The unfinished runs of the store, found by folding their lease and end events: the index a worker asks. */
function scanIndex(store: EventStore, orgs: string[]): RunIndex {
  return {
    async candidates({ now, holder, deadHolders }) {
      const found = [];
      for (const org of orgs) {
        const runs = new Map<
          string,
          { open: boolean; holder?: string; expiresAt?: string; waiting: boolean }
        >();
        for (const e of await store.readOrg({ org })) {
          if (!e.subject.startsWith('run/')) continue;
          const id = e.subject.slice(4);
          const run = runs.get(id) ?? { open: true, waiting: false };
          if (e.type === 'cp.run.completed') run.open = false;
          if (e.type === 'cp.workflow.run.leased') {
            run.holder = (e.data as { holder: string }).holder;
            run.expiresAt = (e.data as { expiresAt: string }).expiresAt;
          }
          if (e.type === 'cp.workflow.run.released') run.holder = undefined;
          runs.set(id, run);
        }
        for (const [runId, run] of runs) {
          if (!run.open) continue;
          const free =
            !run.holder ||
            Date.parse(run.expiresAt ?? '') <= now.getTime() ||
            (run.holder !== holder &&
              (deadHolders === '*' || (deadHolders !== undefined && run.holder.startsWith(deadHolders))));
          if (free) found.push({ org, runId });
        }
      }
      return found;
    },
  };
}

/** People deciding in memory; `whenDecided` is how the engine hears of it. */
function fakeApprovals() {
  const decisions = new Map<string, ApprovalDecision>();
  const listeners = new Map<string, (() => void)[]>();
  const approvals: HumanApprovals & { decide(id: string, d: ApprovalDecision): void; opened: string[] } = {
    opened: [],
    async open({ requestId }) {
      if (!decisions.has(requestId)) {
        decisions.set(requestId, 'pending');
        approvals.opened.push(requestId);
      }
    },
    async decision({ requestId }) {
      return decisions.get(requestId) ?? 'missing';
    },
    whenDecided({ requestId }, then) {
      if ((decisions.get(requestId) ?? 'pending') !== 'pending') return then();
      listeners.set(requestId, [...(listeners.get(requestId) ?? []), then]);
    },
    decide(id, decision) {
      decisions.set(id, decision);
      for (const then of listeners.get(id) ?? []) then();
      listeners.delete(id);
    },
  };
  return approvals;
}

const graph: WorkflowGraph = {
  nodes: [
    { id: 'start', type: 'trigger', config: { kind: 'manual' } },
    { id: 'classify', type: 'skill', config: { skill: 'intake.classify_use_case', input: '$.input' } },
    {
      id: 'check',
      type: 'condition',
      config: { value: '$.nodes.classify.output.tier', op: 'equals', compareTo: 'high' },
    },
    { id: 'review', type: 'hitl', config: { summary: '$.nodes.classify.output.tier', timeoutSeconds: 600 } },
    {
      id: 'file',
      type: 'skill',
      config: { skill: 'audit.evidence_summary', input: { tier: '$.nodes.classify.output.tier' } },
    },
  ],
  edges: [
    { from: 'start', to: 'classify' },
    { from: 'classify', to: 'check' },
    { from: 'check', to: 'review', when: 'true' },
    { from: 'check', to: 'file', when: 'false' },
    { from: 'review', to: 'file' },
  ],
};
const workflow: PinnedWorkflow = { id: 'wf_engine', name: 'engine spec', version: 1, sha256: sha(1), graph };

const until = async (check: () => Promise<boolean>, what: string) => {
  for (let i = 0; i < 600; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
};

const typesOf = (events: EventEnvelope[]) => events.map((e) => e.type);
const stepEvents = (events: EventEnvelope[], type: string) =>
  events
    .filter((e) => e.type === type)
    .map((e) => e.data as { nodeId: string; attempt: number; code?: string });

for (const driver of testDrivers) {
  describe(`the workflow engine on ${driver}`, () => {
    let test: TestDatabase;
    let store: PostgresEventStore;
    let orgCounter = 0;
    const engines: WorkflowEngine[] = [];

    beforeAll(async () => {
      test = await createTestDatabase(driver);
      store = await PostgresEventStore.open({ database: test.database });
    });
    afterAll(async () => {
      await Promise.all(engines.map((e) => e.stop()));
      await store.close();
      await test.dispose();
    });

    const setup = (overrides: Partial<WorkflowEngineOptions> & { skill?: StepExecutor } = {}) => {
      const org = `org_engine_${++orgCounter}`;
      const approvals = fakeApprovals();
      const skill: StepExecutor =
        overrides.skill ??
        (async ({ node, mapping }) => ({
          status: 'completed',
          output:
            node.id === 'classify' ? { tier: (mapping.input as { tier: string }).tier } : { filed: true },
          costMicros: 100,
        }));
      const make = (extra: Partial<WorkflowEngineOptions> = {}) => {
        const engine = new WorkflowEngine({
          store,
          workflows: {
            find: async ({ version }) => (version === undefined || version === 1 ? workflow : undefined),
          },
          executors: { skill },
          approvals,
          index: scanIndex(store, [org]),
          identity: workerIdentity({ workerId: 'spec-worker', singleProcess: false }),
          leaseMs: 2_000,
          sweepMs: 50,
          stopGraceMs: 50,
          ...overrides,
          ...extra,
        });
        engines.push(engine);
        return engine;
      };
      const start = async (input: unknown, budget?: { maxSteps?: number; maxUsdMicros?: number }) =>
        (
          await startWorkflowRun({
            store,
            org,
            actor,
            workflow,
            input,
            trigger: { kind: 'manual' },
            budget,
            now: new Date(),
          })
        ).runId;
      const events = (runId: string) => store.readSubject({ org, subject: `run/${runId}` });
      const ended = (runId: string) =>
        until(
          async () => (await events(runId)).some((e) => e.type === 'cp.run.completed'),
          `run ${runId} to end`,
        );
      return { org, approvals, make, start, events, ended };
    };

    it('runs a workflow to the end: each step scheduled, started and completed once, the chain intact', async () => {
      const { org, make, start, events, ended } = setup();
      const engine = make();
      const runId = await start({ tier: 'low' });
      engine.kick(org, runId);
      await ended(runId);
      const log = await events(runId);
      expect(log.at(-1)).toMatchObject({ type: 'cp.run.completed', data: { status: 'succeeded' } });
      expect(stepEvents(log, 'cp.workflow.step.completed').map((s) => s.nodeId)).toEqual([
        'classify',
        'check',
        'file',
      ]);
      expect(stepEvents(log, 'cp.workflow.step.started')).toHaveLength(3);
      expect(log.every((e) => e.meta?.runId === runId)).toBe(true);
      expect((await store.verifyChain({ org })).ok).toBe(true);
    });

    it('retries a failed attempt as a new attempt and fails the run with the reason once attempts are spent', async () => {
      let calls = 0;
      const { org, make, start, events, ended } = setup({
        skill: async ({ node }) => {
          if (node.id === 'file')
            return { status: 'failed', code: 'provider_error', message: 'upstream 503', retryable: true };
          calls++;
          return calls === 1
            ? { status: 'failed', code: 'provider_error', message: 'upstream 503', retryable: true }
            : { status: 'completed', output: { tier: 'low' } };
        },
      });
      const engine = make();
      const runId = await start({ tier: 'low' });
      engine.kick(org, runId);
      await ended(runId);
      const log = await events(runId);
      expect(stepEvents(log, 'cp.workflow.step.retried').map((s) => [s.nodeId, s.attempt])).toEqual([
        ['classify', 2],
        ['file', 2],
        ['file', 3],
      ]);
      expect(log.at(-1)).toMatchObject({
        type: 'cp.run.completed',
        data: {
          status: 'failed',
          error: 'step file failed after 3 attempt(s): provider_error: upstream 503',
        },
      });
    });

    it('fails an attempt that outlives its timeout and never records its late answer', async () => {
      const timed: WorkflowGraph = {
        ...graph,
        nodes: graph.nodes.map((n) =>
          n.id === 'classify'
            ? { ...n, config: { ...n.config, timeoutMs: 100, retry: { maxAttempts: 1, backoffMs: 0 } } }
            : n,
        ),
      };
      const { org, make, events, ended } = setup({
        skill: () =>
          new Promise((resolve) => setTimeout(() => resolve({ status: 'completed', output: {} }), 1_000)),
        workflows: { find: async () => ({ ...workflow, graph: timed, sha256: sha(2) }) },
      });
      const engine = make();
      const { runId } = await startWorkflowRun({
        store,
        org,
        actor,
        workflow: { ...workflow, graph: timed, sha256: sha(2) },
        input: { tier: 'low' },
        trigger: { kind: 'manual' },
        now: new Date(),
      });
      engine.kick(org, runId);
      await ended(runId);
      await new Promise((r) => setTimeout(r, 1_100));
      const log = await events(runId);
      expect(stepEvents(log, 'cp.workflow.step.failed')).toEqual([
        expect.objectContaining({ nodeId: 'classify', attempt: 1, code: 'timeout' }),
      ]);
      expect(stepEvents(log, 'cp.workflow.step.completed')).toEqual([]);
    });

    it('waits for a person without a lease, resumes on approval, and fails on a denial no edge follows', async () => {
      const { org, approvals, make, start, events, ended } = setup();
      const engine = make();
      const approved = await start({ tier: 'high' });
      const denied = await start({ tier: 'high' });
      engine.kick(org, approved);
      engine.kick(org, denied);
      await until(async () => approvals.opened.length === 2, 'two approval requests');
      await until(async () => engine.active === 0, 'both runs to be released while they wait');
      for (const runId of [approved, denied]) {
        const log = await events(runId);
        expect(typesOf(log).slice(-2)).toEqual(['cp.workflow.step.waiting', 'cp.workflow.run.released']);
      }
      const requestOf = async (runId: string) =>
        (
          stepEvents(await events(runId), 'cp.workflow.step.waiting')[0] as unknown as {
            hitlRequestId: string;
          }
        ).hitlRequestId;
      approvals.decide(await requestOf(approved), 'approved');
      approvals.decide(await requestOf(denied), 'denied');
      await ended(approved);
      await ended(denied);
      expect((await events(approved)).at(-1)).toMatchObject({ data: { status: 'succeeded' } });
      expect(stepEvents(await events(approved), 'cp.workflow.step.completed').map((s) => s.nodeId)).toEqual([
        'classify',
        'check',
        'review',
        'file',
      ]);
      expect((await events(denied)).at(-1)).toMatchObject({
        data: { status: 'failed', error: 'step review ended "denied" and no edge follows that outcome' },
      });
    });

    it('resumes a run whose worker died mid-step: the next incarnation retries the step as a new attempt, once', async () => {
      let release: () => void = () => {};
      const stuck = new Promise<void>((resolve) => {
        release = resolve;
      });
      let first = true;
      const { org, make, start, events, ended } = setup({
        skill: async ({ node }) => {
          if (node.id === 'classify' && first) {
            first = false;
            await stuck;
          }
          return { status: 'completed', output: node.id === 'classify' ? { tier: 'low' } : { filed: true } };
        },
      });
      const dead = make();
      const runId = await start({ tier: 'low' });
      dead.kick(org, runId);
      await until(
        async () => stepEvents(await events(runId), 'cp.workflow.step.started').length === 1,
        'the first start',
      );
      // The next incarnation of the same worker id knows the first is dead and takes the run at once.
      const next = make({ identity: workerIdentity({ workerId: 'spec-worker', singleProcess: false }) });
      next.start();
      await ended(runId);
      release();
      await new Promise((r) => setTimeout(r, 100));
      const log = await events(runId);
      expect(stepEvents(log, 'cp.workflow.step.retried')).toEqual([
        expect.objectContaining({ nodeId: 'classify', attempt: 2, code: 'interrupted' }),
      ]);
      const completions = stepEvents(log, 'cp.workflow.step.completed').map(
        (s) => `${s.nodeId}#${s.attempt}`,
      );
      expect(completions).toEqual(['classify#2', 'check#1', 'file#1']);
      expect(log.at(-1)).toMatchObject({ data: { status: 'succeeded' } });
      expect((await store.verifyChain({ org })).ok).toBe(true);
      await dead.stop();
    });

    it('cancels a run mid-step: the run ends cancelled and the step answer that comes later is not recorded', async () => {
      let release: () => void = () => {};
      const { org, make, start, events, ended } = setup({
        skill: () =>
          new Promise((resolve) => {
            release = () => resolve({ status: 'completed', output: { tier: 'low' } });
          }),
      });
      const engine = make();
      const runId = await start({ tier: 'low' });
      engine.kick(org, runId);
      await until(
        async () => stepEvents(await events(runId), 'cp.workflow.step.started').length === 1,
        'the start',
      );
      await cancelWorkflowRun({ store, org, runId, actor, reason: 'no longer needed' });
      engine.kick(org, runId);
      await ended(runId);
      release();
      await until(async () => engine.active === 0, 'the engine to let go');
      const log = await events(runId);
      expect(log.at(-1)).toMatchObject({
        type: 'cp.run.completed',
        data: { status: 'cancelled', error: 'no longer needed' },
      });
      expect(stepEvents(log, 'cp.workflow.step.completed')).toEqual([]);
    });

    it('fails a run that reaches its step budget, naming the budget', async () => {
      const { org, make, start, events, ended } = setup();
      const engine = make();
      const runId = await start({ tier: 'low' }, { maxSteps: 2 });
      engine.kick(org, runId);
      await ended(runId);
      expect((await events(runId)).at(-1)).toMatchObject({
        data: { status: 'failed', error: 'budget: the run reached its limit of 2 steps' },
      });
    });

    it('lets two workers share the runs: every step starts and completes exactly once', async () => {
      const { org, make, start, events, ended } = setup({
        skill: async ({ node }) => {
          await new Promise((r) => setTimeout(r, 5));
          return { status: 'completed', output: node.id === 'classify' ? { tier: 'low' } : { filed: true } };
        },
      });
      const a = make({ identity: workerIdentity({ workerId: 'spec-a', singleProcess: false }) });
      const b = make({ identity: workerIdentity({ workerId: 'spec-b', singleProcess: false }) });
      const runs = await Promise.all(Array.from({ length: 12 }, () => start({ tier: 'low' })));
      a.start();
      b.start();
      for (const runId of runs) await ended(runId);
      for (const runId of runs) {
        const log = await events(runId);
        const started = stepEvents(log, 'cp.workflow.step.started').map((s) => `${s.nodeId}#${s.attempt}`);
        expect(new Set(started).size).toBe(started.length);
        expect(stepEvents(log, 'cp.workflow.step.completed').map((s) => s.nodeId)).toEqual([
          'classify',
          'check',
          'file',
        ]);
        expect(log.at(-1)).toMatchObject({ data: { status: 'succeeded' } });
      }
      expect((await store.verifyChain({ org })).ok).toBe(true);
      await Promise.all([a.stop(), b.stop()]);
    });

    it('keeps an output outside the log only up to its bound, failing the step by name beyond it', async () => {
      await migrateWorkflowKeptOutputs(test.database.db);
      const kept = createKeptOutputs({ db: test.database.db, retentionDays: 30 });
      const size = { classify: 1_000 };
      const { org, make, start, events, ended } = setup({
        kept,
        skill: async ({ node }) => ({
          status: 'completed',
          output: node.id === 'classify' ? { tier: 'low', text: 'Q'.repeat(size.classify) } : { filed: true },
          keep: { fields: ['text', 'tier'] },
        }),
      });
      const engine = make();
      const small = await start({ tier: 'low' });
      engine.kick(org, small);
      await ended(small);
      const smallLog = await events(small);
      expect(smallLog.at(-1)).toMatchObject({ data: { status: 'succeeded' } });
      expect(JSON.stringify(smallLog)).not.toContain('QQQQQQQQQQ');
      expect((await kept.readRun({ org, runId: small })).size).toBeGreaterThan(0);

      size.classify = MAX_KEPT_OUTPUT_BYTES;
      const large = await start({ tier: 'low' });
      engine.kick(org, large);
      await ended(large);
      const largeLog = await events(large);
      expect(stepEvents(largeLog, 'cp.workflow.step.failed')).toEqual([
        expect.objectContaining({ nodeId: 'classify', code: 'output_too_large' }),
      ]);
      expect(largeLog.at(-1)).toMatchObject({ type: 'cp.run.completed', data: { status: 'failed' } });
      expect(JSON.stringify(largeLog)).not.toContain('QQQQQQQQQQ');
      expect((await kept.readRun({ org, runId: large })).size).toBe(0);
    });

    it('keeps values mapped from a kept output out of an approval request’s summary', async () => {
      await migrateWorkflowKeptOutputs(test.database.db);
      const approvals = fakeApprovals();
      const summaries: string[] = [];
      const open = approvals.open.bind(approvals);
      approvals.open = async (request) => {
        summaries.push(JSON.stringify([request.summary, request.args]));
        await open(request);
      };
      const { org, make, start, ended } = setup({
        approvals,
        kept: createKeptOutputs({ db: test.database.db, retentionDays: 30 }),
        skill: async ({ node }) => ({
          status: 'completed',
          output: node.id === 'classify' ? { tier: 'high' } : { filed: true },
          ...(node.id === 'classify' ? { keep: { fields: ['tier'] } } : {}),
        }),
      });
      const engine = make();
      const runId = await start({ tier: 'high' });
      engine.kick(org, runId);
      await until(async () => approvals.opened.length === 1, 'the review request');
      expect(summaries).toHaveLength(1);
      expect(summaries[0]).toContain('kept outside the log');
      expect(summaries[0]).not.toContain('high');
      approvals.decide(approvals.opened[0]!, 'approved');
      await ended(runId);
    });
  });
}
