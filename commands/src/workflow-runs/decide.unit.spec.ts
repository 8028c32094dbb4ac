import { describe, expect, it } from 'vitest';
import { deciderSpec } from '../kit/decider-spec.js';
import type { WorkflowGraph } from '../workflows/graph.js';
import { decideWorkflowRun, type PinnedWorkflow, workflowRunDecider } from './decide.js';
import { isWorkflowRunError } from './errors.js';
import type { WorkflowRunFact } from './facts.js';
import { evolveWorkflowRun, initialWorkflowRunState, runStatus } from './state.js';

const spec = deciderSpec(workflowRunDecider);
const now = new Date('2025-03-01T10:00:00.000Z');
const at = (ms: number) => new Date(now.getTime() + ms);
const iso = (ms: number) => at(ms).toISOString();
const refused = (code: string) => (error: unknown) => isWorkflowRunError(error, code);

/** trigger → classify → check (condition) → approve (hitl) on true, notify on false; approve → file. */
const graph: WorkflowGraph = {
  nodes: [
    { id: 'start', type: 'trigger', config: { kind: 'manual' } },
    { id: 'classify', type: 'skill', config: { skill: 'intake.classify_use_case', input: '$.input' } },
    {
      id: 'check',
      type: 'condition',
      config: { value: '$.nodes.classify.output.tier', op: 'equals', compareTo: 'high' },
    },
    { id: 'approve', type: 'hitl', config: { summary: 'ok?', timeoutSeconds: 600 } },
    {
      id: 'notify',
      type: 'tool',
      config: { tool: 'write', args: {}, retry: { maxAttempts: 3, backoffMs: 1_000 } },
    },
    { id: 'file', type: 'tool', config: { tool: 'write', args: {}, timeoutMs: 2_000 } },
  ],
  edges: [
    { from: 'start', to: 'classify' },
    { from: 'classify', to: 'check' },
    { from: 'check', to: 'approve', when: 'true' },
    { from: 'check', to: 'notify', when: 'false' },
    { from: 'approve', to: 'file' },
  ],
};
const workflow: PinnedWorkflow = { id: 'wf_1', name: 'intake', version: 2, sha256: 'a'.repeat(64), graph };
const budget = { maxSteps: 10, maxUsdMicros: 5_000, maxWallMs: 3_600_000 };
const holder = 'worker-a/1';

const started: WorkflowRunFact[] = [
  { type: 'cp.run.started', data: { kind: 'workflow', name: 'intake' } },
  {
    type: 'cp.workflow.run.started',
    data: {
      workflowId: 'wf_1',
      version: 2,
      graphSha256: 'a'.repeat(64),
      trigger: { kind: 'manual' },
      input: { text: 'a chatbot' },
      budget,
      deadline: iso(3_600_000),
    },
  },
  { type: 'cp.workflow.step.scheduled', data: { nodeId: 'classify', attempt: 1 } },
];
const leased: WorkflowRunFact = { type: 'cp.workflow.run.leased', data: { holder, expiresAt: iso(30_000) } };
const beganClassify: WorkflowRunFact = {
  type: 'cp.workflow.step.started',
  data: { nodeId: 'classify', attempt: 1, nodeType: 'skill', holder, timeoutAt: iso(120_000) },
};
const classified = (tier: string): WorkflowRunFact => ({
  type: 'cp.workflow.step.completed',
  data: { nodeId: 'classify', attempt: 1, output: { tier }, costMicros: 1_200, childRunId: 'skr_1' },
});
const checkStarted: WorkflowRunFact = {
  type: 'cp.workflow.step.started',
  data: { nodeId: 'check', attempt: 1, nodeType: 'condition', holder, timeoutAt: iso(5_000) },
};
const running = [...started, leased, beganClassify];
const held = { holder, now, graph };

const fold = (facts: readonly WorkflowRunFact[]) =>
  facts.reduce(evolveWorkflowRun, initialWorkflowRunState());

describe('the workflow run decider: starting and leasing', () => {
  it('starts a run pinned to the version, with its budget and deadline, and schedules what follows the trigger', () => {
    spec
      .given([])
      .when({
        type: 'start',
        workflow,
        input: { text: 'a chatbot' },
        trigger: { kind: 'manual' },
        budget,
        now,
      })
      .then(started);
  });

  it('refuses to start a run twice under one id (a schedule or a webhook delivery starts once)', () => {
    spec
      .given(started)
      .when({ type: 'start', workflow, input: {}, trigger: { kind: 'manual' }, budget, now })
      .thenThrows(refused('run_exists'));
  });

  it('gives the lease to one worker until it expires, then to another; a known-dead holder is taken over at once', () => {
    spec
      .given(started)
      .when({ type: 'claim', ...held, leaseMs: 30_000, jitter: 0 })
      .then([leased]);
    const other = { holder: 'worker-b/1', now: at(10_000), graph };
    spec
      .given([...started, leased])
      .when({ type: 'claim', ...other, leaseMs: 30_000, jitter: 0 })
      .thenThrows(refused('run_leased'));
    spec
      .given([...started, leased])
      .when({ type: 'claim', ...other, now: at(31_000), leaseMs: 30_000, jitter: 0 })
      .then([{ type: 'cp.workflow.run.leased', data: { holder: 'worker-b/1', expiresAt: iso(61_000) } }]);
    spec
      .given([...started, leased])
      .when({ type: 'claim', ...other, leaseMs: 30_000, jitter: 0, force: true })
      .then([{ type: 'cp.workflow.run.leased', data: { holder: 'worker-b/1', expiresAt: iso(40_000) } }]);
  });

  it('retries as a new attempt a step whose worker died while running it', () => {
    spec
      .given(running)
      .when({ type: 'claim', holder: 'worker-b/1', now: at(40_000), graph, leaseMs: 30_000, jitter: 0.5 })
      .then([
        { type: 'cp.workflow.run.leased', data: { holder: 'worker-b/1', expiresAt: iso(70_000) } },
        {
          type: 'cp.workflow.step.retried',
          data: {
            nodeId: 'classify',
            attempt: 2,
            code: 'interrupted',
            error: `the worker running attempt 1 (${holder}) stopped before it finished`,
            // Backoff 1,000 ms for the second attempt, half fixed and half jittered: 500 + 0.5 × 500.
            notBefore: iso(40_750),
          },
        },
      ]);
  });

  it('only lets the lease holder start a step, and only a scheduled one that is due', () => {
    spec
      .given([...started, leased])
      .when({ type: 'begin', ...held, nodeId: 'classify' })
      .then([beganClassify]);
    spec
      .given([...started, leased])
      .when({ type: 'begin', ...held, holder: 'worker-b/1', nodeId: 'classify' })
      .thenThrows(refused('run_leased'));
    spec
      .given(running)
      .when({ type: 'begin', ...held, nodeId: 'classify' })
      .thenThrows(refused('step_not_active'));
    spec
      .given([...started, leased])
      .when({ type: 'begin', ...held, nodeId: 'file' })
      .thenThrows(refused('step_not_active'));
  });
});

describe('the workflow run decider: completing steps and choosing edges', () => {
  it('records a completion once: the same attempt completing again is refused', () => {
    spec
      .given(running)
      .when({
        type: 'complete',
        ...held,
        nodeId: 'classify',
        attempt: 1,
        output: { tier: 'high' },
        costMicros: 1_200,
        childRunId: 'skr_1',
      })
      .then([
        classified('high'),
        { type: 'cp.workflow.step.scheduled', data: { nodeId: 'check', attempt: 1 } },
      ]);
    spec
      .given([...running, classified('high')])
      .when({ type: 'complete', ...held, nodeId: 'classify', attempt: 1, output: {}, costMicros: 0 })
      .thenThrows(refused('step_not_active'));
  });

  it('starts the steps a completion makes ready in the same append when the holder asks, within the step budget', () => {
    const complete = {
      type: 'complete',
      ...held,
      nodeId: 'classify',
      attempt: 1,
      output: { tier: 'high' },
      costMicros: 1_200,
      childRunId: 'skr_1',
      begin: { childRunIds: {} },
    } as const;
    spec
      .given(running)
      .when(complete)
      .then([
        classified('high'),
        { type: 'cp.workflow.step.scheduled', data: { nodeId: 'check', attempt: 1 } },
        checkStarted,
      ]);
    const tight = running.map((f) =>
      f.type === 'cp.workflow.run.started'
        ? { ...f, data: { ...f.data, budget: { ...budget, maxSteps: 1 } } }
        : f,
    );
    spec
      .given(tight)
      .when(complete)
      .then([
        classified('high'),
        { type: 'cp.workflow.step.scheduled', data: { nodeId: 'check', attempt: 1 } },
      ]);
  });

  it('follows the condition edge whose `when` matches its outcome, and skips the other branch', () => {
    const afterCheck = [
      ...running,
      classified('low'),
      { type: 'cp.workflow.step.scheduled', data: { nodeId: 'check', attempt: 1 } } as const,
      checkStarted,
    ];
    spec
      .given(afterCheck)
      .when({
        type: 'complete',
        ...held,
        nodeId: 'check',
        attempt: 1,
        output: false,
        outcome: 'false',
        costMicros: 0,
      })
      .then([
        {
          type: 'cp.workflow.step.completed',
          data: { nodeId: 'check', attempt: 1, output: false, outcome: 'false', costMicros: 0 },
        },
        { type: 'cp.workflow.step.scheduled', data: { nodeId: 'notify', attempt: 1 } },
      ]);
  });

  it('ends the run as succeeded when the last branch completes and the skipped ones settle', () => {
    const notifyRunning: WorkflowRunFact[] = [
      ...running,
      classified('low'),
      { type: 'cp.workflow.step.scheduled', data: { nodeId: 'check', attempt: 1 } },
      checkStarted,
      {
        type: 'cp.workflow.step.completed',
        data: { nodeId: 'check', attempt: 1, output: false, outcome: 'false', costMicros: 0 },
      },
      { type: 'cp.workflow.step.scheduled', data: { nodeId: 'notify', attempt: 1 } },
      {
        type: 'cp.workflow.step.started',
        data: { nodeId: 'notify', attempt: 1, nodeType: 'tool', holder, timeoutAt: iso(60_000) },
      },
    ];
    spec
      .given(notifyRunning)
      .when({ type: 'complete', ...held, nodeId: 'notify', attempt: 1, output: { ok: true }, costMicros: 0 })
      .then([
        {
          type: 'cp.workflow.step.completed',
          data: { nodeId: 'notify', attempt: 1, output: { ok: true }, costMicros: 0 },
        },
        { type: 'cp.run.completed', data: { status: 'succeeded' } },
      ]);
  });

  it('waits for a person without holding the lease, and fails the run on a denial no edge follows', () => {
    const approveRunning: WorkflowRunFact[] = [
      ...running,
      classified('high'),
      { type: 'cp.workflow.step.scheduled', data: { nodeId: 'check', attempt: 1 } },
      checkStarted,
      {
        type: 'cp.workflow.step.completed',
        data: { nodeId: 'check', attempt: 1, output: true, outcome: 'true', costMicros: 0 },
      },
      { type: 'cp.workflow.step.scheduled', data: { nodeId: 'approve', attempt: 1 } },
      {
        type: 'cp.workflow.step.started',
        data: { nodeId: 'approve', attempt: 1, nodeType: 'hitl', holder, timeoutAt: iso(30_000) },
      },
    ];
    const waiting: WorkflowRunFact = {
      type: 'cp.workflow.step.waiting',
      data: { nodeId: 'approve', attempt: 1, hitlRequestId: 'hitl_1' },
    };
    spec
      .given(approveRunning)
      .when({ type: 'wait', nodeId: 'approve', attempt: 1, hitlRequestId: 'hitl_1', holder })
      .then([waiting, { type: 'cp.workflow.run.released', data: { holder } }]);
    const released = [
      ...approveRunning,
      waiting,
      { type: 'cp.workflow.run.released', data: { holder } } as const,
    ];
    expect(runStatus(fold(released))).toBe('waiting');
    expect(fold(released).lease).toBeUndefined();

    const reclaimed = [
      ...released,
      { type: 'cp.workflow.run.leased', data: { holder: 'worker-b/1', expiresAt: iso(90_000) } } as const,
    ];
    const other = { holder: 'worker-b/1', now: at(60_000), graph };
    spec
      .given(reclaimed)
      .when({
        type: 'complete',
        ...other,
        nodeId: 'approve',
        attempt: 1,
        output: { decision: 'denied' },
        outcome: 'denied',
        costMicros: 0,
      })
      .then([
        {
          type: 'cp.workflow.step.failed',
          data: {
            nodeId: 'approve',
            attempt: 1,
            code: 'denied',
            error: 'no edge follows the "denied" outcome',
          },
        },
        {
          type: 'cp.run.completed',
          data: { status: 'failed', error: 'step approve ended "denied" and no edge follows that outcome' },
        },
      ]);
    spec
      .given(reclaimed)
      .when({
        type: 'complete',
        ...other,
        nodeId: 'approve',
        attempt: 1,
        output: { decision: 'approved' },
        outcome: 'approved',
        costMicros: 0,
      })
      .then([
        {
          type: 'cp.workflow.step.completed',
          data: {
            nodeId: 'approve',
            attempt: 1,
            output: { decision: 'approved' },
            outcome: 'approved',
            costMicros: 0,
          },
        },
        { type: 'cp.workflow.step.scheduled', data: { nodeId: 'file', attempt: 1 } },
      ]);
  });

  it('takes a `denied` edge on a timeout when the node has no `timeout` edge', () => {
    const g: WorkflowGraph = {
      nodes: [
        { id: 't', type: 'trigger', config: { kind: 'manual' } },
        { id: 'h', type: 'hitl', config: { summary: 'x', timeoutSeconds: 60 } },
        { id: 'ok', type: 'tool', config: { tool: 'list', args: {} } },
        { id: 'no', type: 'tool', config: { tool: 'list', args: {} } },
      ],
      edges: [
        { from: 't', to: 'h' },
        { from: 'h', to: 'ok' },
        { from: 'h', to: 'no', when: 'denied' },
      ],
    };
    const facts = decideWorkflowRun(
      {
        type: 'start',
        workflow: { ...workflow, graph: g },
        input: {},
        trigger: { kind: 'manual' },
        budget,
        now,
      },
      initialWorkflowRunState(),
    );
    const history: WorkflowRunFact[] = [
      ...facts,
      leased,
      {
        type: 'cp.workflow.step.started',
        data: { nodeId: 'h', attempt: 1, nodeType: 'hitl', holder, timeoutAt: iso(30_000) },
      },
    ];
    spec
      .given(history)
      .when({
        type: 'complete',
        holder,
        now,
        graph: g,
        nodeId: 'h',
        attempt: 1,
        output: { decision: 'timeout' },
        outcome: 'timeout',
        costMicros: 0,
      })
      .then([
        {
          type: 'cp.workflow.step.completed',
          data: {
            nodeId: 'h',
            attempt: 1,
            output: { decision: 'timeout' },
            outcome: 'timeout',
            costMicros: 0,
          },
        },
        { type: 'cp.workflow.step.scheduled', data: { nodeId: 'no', attempt: 1 } },
      ]);
  });

  it('waits at a join until every branch into it has settled', () => {
    const g: WorkflowGraph = {
      nodes: [
        { id: 't', type: 'trigger', config: { kind: 'manual' } },
        { id: 'a', type: 'condition', config: { value: 1, op: 'truthy' } },
        { id: 'b', type: 'condition', config: { value: 1, op: 'truthy' } },
        { id: 'join', type: 'tool', config: { tool: 'list', args: {} } },
      ],
      edges: [
        { from: 't', to: 'a' },
        { from: 't', to: 'b' },
        { from: 'a', to: 'join' },
        { from: 'b', to: 'join' },
      ],
    };
    const start = decideWorkflowRun(
      {
        type: 'start',
        workflow: { ...workflow, graph: g },
        input: {},
        trigger: { kind: 'manual' },
        budget,
        now,
      },
      initialWorkflowRunState(),
    );
    expect(start.filter((f) => f.type === 'cp.workflow.step.scheduled').map((f) => f.data)).toEqual([
      { nodeId: 'a', attempt: 1 },
      { nodeId: 'b', attempt: 1 },
    ]);
    const both: WorkflowRunFact[] = [
      ...start,
      leased,
      {
        type: 'cp.workflow.step.started',
        data: { nodeId: 'a', attempt: 1, nodeType: 'condition', holder, timeoutAt: iso(5_000) },
      },
      {
        type: 'cp.workflow.step.started',
        data: { nodeId: 'b', attempt: 1, nodeType: 'condition', holder, timeoutAt: iso(5_000) },
      },
    ];
    const held2 = { holder, now, graph: g };
    spec
      .given(both)
      .when({
        type: 'complete',
        ...held2,
        nodeId: 'a',
        attempt: 1,
        output: true,
        outcome: 'true',
        costMicros: 0,
      })
      .then([
        {
          type: 'cp.workflow.step.completed',
          data: { nodeId: 'a', attempt: 1, output: true, outcome: 'true', costMicros: 0 },
        },
      ]);
    spec
      .given([
        ...both,
        {
          type: 'cp.workflow.step.completed',
          data: { nodeId: 'a', attempt: 1, output: true, outcome: 'true', costMicros: 0 },
        },
      ])
      .when({
        type: 'complete',
        ...held2,
        nodeId: 'b',
        attempt: 1,
        output: true,
        outcome: 'true',
        costMicros: 0,
      })
      .then([
        {
          type: 'cp.workflow.step.completed',
          data: { nodeId: 'b', attempt: 1, output: true, outcome: 'true', costMicros: 0 },
        },
        { type: 'cp.workflow.step.scheduled', data: { nodeId: 'join', attempt: 1 } },
      ]);
  });
});

describe('the workflow run decider: retries, budgets, cancellation', () => {
  const notifyRunning = (attempt: number): WorkflowRunFact[] => [
    ...running,
    classified('low'),
    { type: 'cp.workflow.step.scheduled', data: { nodeId: 'check', attempt: 1 } },
    checkStarted,
    {
      type: 'cp.workflow.step.completed',
      data: { nodeId: 'check', attempt: 1, output: false, outcome: 'false', costMicros: 0 },
    },
    { type: 'cp.workflow.step.scheduled', data: { nodeId: 'notify', attempt: 1 } },
    {
      type: 'cp.workflow.step.started',
      data: { nodeId: 'notify', attempt: 1, nodeType: 'tool', holder, timeoutAt: iso(60_000) },
    },
    ...Array.from({ length: attempt - 1 }, (_, i): WorkflowRunFact[] => [
      {
        type: 'cp.workflow.step.retried',
        data: { nodeId: 'notify', attempt: i + 2, code: 'tool_failed', error: 'x', notBefore: iso(0) },
      },
      {
        type: 'cp.workflow.step.started',
        data: { nodeId: 'notify', attempt: i + 2, nodeType: 'tool', holder, timeoutAt: iso(60_000) },
      },
    ]).flat(),
  ];
  const failNotify = (attempt: number, jitter: number) =>
    ({
      type: 'fail',
      ...held,
      nodeId: 'notify',
      attempt,
      code: 'tool_failed',
      message: 'disk full',
      retryable: true,
      jitter,
    }) as const;

  it('retries a failed attempt after a jittered, doubling backoff', () => {
    spec
      .given(notifyRunning(1))
      .when(failNotify(1, 0))
      .then([
        {
          type: 'cp.workflow.step.retried',
          data: {
            nodeId: 'notify',
            attempt: 2,
            code: 'tool_failed',
            error: 'disk full',
            notBefore: iso(500),
          },
        },
      ]);
    spec
      .given(notifyRunning(2))
      .when(failNotify(2, 0.999))
      .then([
        {
          type: 'cp.workflow.step.retried',
          data: {
            nodeId: 'notify',
            attempt: 3,
            code: 'tool_failed',
            error: 'disk full',
            notBefore: iso(1_999),
          },
        },
      ]);
  });

  it('fails the step and the run, with the reason, once the attempts are spent or the failure is final', () => {
    const failedRun = [
      {
        type: 'cp.workflow.step.failed',
        data: { nodeId: 'notify', attempt: 3, code: 'tool_failed', error: 'disk full' },
      },
      {
        type: 'cp.run.completed',
        data: { status: 'failed', error: 'step notify failed after 3 attempt(s): tool_failed: disk full' },
      },
    ] as const;
    spec
      .given(notifyRunning(3))
      .when(failNotify(3, 0))
      .then([...failedRun]);
    spec
      .given(notifyRunning(1))
      .when({ ...failNotify(1, 0), retryable: false })
      .then([
        {
          type: 'cp.workflow.step.failed',
          data: { nodeId: 'notify', attempt: 1, code: 'tool_failed', error: 'disk full' },
        },
        {
          type: 'cp.run.completed',
          data: { status: 'failed', error: 'step notify failed after 1 attempt(s): tool_failed: disk full' },
        },
      ]);
  });

  it('fails the run when a step would pass the step budget, the cost budget or the wall-time budget', () => {
    const tight = started.map((f) =>
      f.type === 'cp.workflow.run.started'
        ? { ...f, data: { ...f.data, budget: { ...budget, maxSteps: 1 } } }
        : f,
    );
    spec
      .given([
        ...tight,
        leased,
        beganClassify,
        classified('high'),
        { type: 'cp.workflow.step.scheduled', data: { nodeId: 'check', attempt: 1 } },
      ])
      .when({ type: 'begin', ...held, nodeId: 'check' })
      .then([
        {
          type: 'cp.workflow.step.failed',
          data: {
            nodeId: 'check',
            attempt: 1,
            code: 'budget_exceeded',
            error: 'the run reached its limit of 1 steps',
          },
        },
        {
          type: 'cp.run.completed',
          data: { status: 'failed', error: 'budget: the run reached its limit of 1 steps' },
        },
      ]);
    spec
      .given(running)
      .when({
        type: 'complete',
        ...held,
        nodeId: 'classify',
        attempt: 1,
        output: { tier: 'high' },
        costMicros: 6_000,
      })
      .then([
        {
          type: 'cp.workflow.step.completed',
          data: { nodeId: 'classify', attempt: 1, output: { tier: 'high' }, costMicros: 6_000 },
        },
        {
          type: 'cp.run.completed',
          data: { status: 'failed', error: 'budget: the run spent 6000 µUSD, over its limit of 5000' },
        },
      ]);
    spec
      .given(running)
      .when({ type: 'expire', now: at(3_599_999) })
      .then([]);
    spec
      .given(running)
      .when({ type: 'expire', now: at(3_600_000) })
      .then([
        {
          type: 'cp.run.completed',
          data: { status: 'failed', error: 'budget: the run passed its wall-time limit of 3600000 ms' },
        },
      ]);
  });

  it('cancels a running run once; a finished or unknown run is refused', () => {
    spec
      .given(running)
      .when({ type: 'cancel', reason: 'not needed' })
      .then([{ type: 'cp.run.completed', data: { status: 'cancelled', error: 'not needed' } }]);
    spec
      .given([...running, { type: 'cp.run.completed', data: { status: 'cancelled' } }])
      .when({ type: 'cancel' })
      .thenThrows(refused('run_finished'));
    spec.given([]).when({ type: 'cancel' }).thenThrows(refused('run_not_found'));
    spec
      .given([...running, { type: 'cp.run.completed', data: { status: 'cancelled' } }])
      .when({ type: 'complete', ...held, nodeId: 'classify', attempt: 1, output: {}, costMicros: 0 })
      .thenThrows(refused('run_finished'));
  });
});
