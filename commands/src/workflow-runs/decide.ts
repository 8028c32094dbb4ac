import type { Decider } from '../kit/decider.js';
import type { WorkflowGraph, WorkflowNode } from '../workflows/graph.js';
import { WorkflowRunError } from './errors.js';
import { isWorkflowRunFact, type RunBudget, type WorkflowRunFact, type WorkflowTrigger } from './facts.js';
import { outcomeHandled, readyNodes } from './graph-walk.js';
import {
  evolveWorkflowRun,
  initialWorkflowRunState,
  type StepState,
  type WorkflowRunState,
} from './state.js';
import { backoffMs, EXTRA_ATTEMPTS_AFTER_INTERRUPTION, stepPolicy } from './step-policy.js';

/** A published version as a run pins it: its graph and the graph's SHA-256. */
export interface PinnedWorkflow {
  id: string;
  name: string;
  version: number;
  sha256: string;
  graph: WorkflowGraph;
}

interface Held {
  /** The worker deciding; it must hold the run's lease. */
  holder: string;
  now: Date;
  /** The pinned version's graph, which the events name by hash only. */
  graph: WorkflowGraph;
}

export type WorkflowRunCommand =
  | {
      type: 'start';
      workflow: PinnedWorkflow;
      input: unknown;
      trigger: WorkflowTrigger;
      budget: RunBudget;
      now: Date;
    }
  /** Takes the lease; steps another worker left running are retried as new attempts (or fail). */
  | (Held & { type: 'claim'; leaseMs: number; jitter: number; force?: boolean })
  | { type: 'release'; holder: string }
  /** `childRunId`: the run id a skill step's call will take, fixed before it starts. */
  | (Held & { type: 'begin'; nodeId: string; childRunId?: string | undefined })
  | { type: 'wait'; nodeId: string; attempt: number; hitlRequestId: string; holder: string }
  | (Held & {
      type: 'complete';
      nodeId: string;
      attempt: number;
      output: unknown;
      outcome?: string | undefined;
      costMicros: number;
      childRunId?: string | undefined;
      /**
       * Start the steps the completion makes ready in the same append, as the lease holder: one commit per
       * step in a chain. `childRunIds` names the run each ready skill step's call will take.
       */
      begin?: { childRunIds: Readonly<Record<string, string>> } | undefined;
    })
  | (Held & {
      type: 'fail';
      nodeId: string;
      attempt: number;
      code: string;
      message: string;
      retryable: boolean;
      costMicros?: number | undefined;
      jitter: number;
    })
  | { type: 'cancel'; reason?: string | undefined }
  /** Fails the run for a reason outside any step (its pinned version cannot be read back). */
  | { type: 'abort'; reason: string }
  /** Fails the run once its wall-time budget is spent. */
  | { type: 'expire'; now: Date };

const MAX_REASON = 500;
const clip = (text: string) => (text.length > MAX_REASON ? `${text.slice(0, MAX_REASON - 1)}…` : text);
const iso = (date: Date, plusMs = 0) => new Date(date.getTime() + plusMs).toISOString();

const finished = (status: 'succeeded' | 'failed' | 'cancelled', error?: string): WorkflowRunFact => ({
  type: 'cp.run.completed',
  data: { status, ...(error ? { error: clip(error) } : {}) },
});

function running(state: WorkflowRunState): NonNullable<WorkflowRunState['run']> {
  if (state.phase === 'none' || !state.run)
    throw new WorkflowRunError('run_not_found', 'no workflow run with this id was started');
  if (state.phase !== 'running') throw new WorkflowRunError('run_finished', `the run already ${state.phase}`);
  return state.run;
}

function holding(state: WorkflowRunState, holder: string): void {
  if (state.lease?.holder !== holder)
    throw new WorkflowRunError('run_leased', `the run is held by ${state.lease?.holder ?? 'no worker'}`);
}

function activeStep(
  state: WorkflowRunState,
  nodeId: string,
  attempt: number,
  allowed: StepState['status'][],
) {
  const step = state.steps[nodeId];
  if (!step || step.attempt !== attempt || !allowed.includes(step.status))
    throw new WorkflowRunError(
      'step_not_active',
      `step ${nodeId} attempt ${attempt} is ${step ? `${step.status} at attempt ${step.attempt}` : 'not scheduled'}`,
    );
  return step;
}

function nodeOf(graph: WorkflowGraph, nodeId: string): WorkflowNode {
  const node = graph.nodes.find((n) => n.id === nodeId);
  if (!node) throw new WorkflowRunError('step_not_active', `the pinned graph has no node ${nodeId}`);
  return node;
}

const fold = (state: WorkflowRunState, facts: readonly WorkflowRunFact[]) =>
  facts.reduce(evolveWorkflowRun, state);

const isOpen = (step: StepState) => step.status !== 'completed' && step.status !== 'failed';

/** After a step settled: schedule what became ready, or end the run when nothing is left to do. */
function next(state: WorkflowRunState, graph: WorkflowGraph): WorkflowRunFact[] {
  const ready = readyNodes(graph, state.steps);
  const scheduled: WorkflowRunFact[] = ready.map((node) => ({
    type: 'cp.workflow.step.scheduled',
    data: { nodeId: node.id, attempt: 1 },
  }));
  if (scheduled.length === 0 && !Object.values(state.steps).some(isOpen)) return [finished('succeeded')];
  return scheduled;
}

/** The retry of an attempt that failed, or the step's and the run's failure when it may not be retried. */
function retryOrFail(options: {
  node: WorkflowNode;
  attempt: number;
  code: string;
  message: string;
  retryable: boolean;
  costMicros?: number | undefined;
  now: Date;
  jitter: number;
}): WorkflowRunFact[] {
  const { node, attempt, code, now } = options;
  const policy = stepPolicy(node);
  const limit = policy.maxAttempts + (code === 'interrupted' ? EXTRA_ATTEMPTS_AFTER_INTERRUPTION : 0);
  const cost = options.costMicros ? { costMicros: options.costMicros } : {};
  const error = clip(options.message);
  if (options.retryable && attempt < limit) {
    const wait = backoffMs(policy, attempt + 1, options.jitter);
    return [
      {
        type: 'cp.workflow.step.retried',
        data: { nodeId: node.id, attempt: attempt + 1, code, error, notBefore: iso(now, wait), ...cost },
      },
    ];
  }
  return [
    { type: 'cp.workflow.step.failed', data: { nodeId: node.id, attempt, code, error, ...cost } },
    finished('failed', `step ${node.id} failed after ${attempt} attempt(s): ${code}: ${error}`),
  ];
}

function overBudget(state: WorkflowRunState, now: Date): string | undefined {
  const run = state.run;
  if (!run) return undefined;
  if (now.getTime() >= Date.parse(run.deadline))
    return `budget: the run passed its wall-time limit of ${run.budget.maxWallMs} ms`;
  if (run.budget.maxUsdMicros !== undefined && state.costMicros > run.budget.maxUsdMicros)
    return `budget: the run spent ${state.costMicros} µUSD, over its limit of ${run.budget.maxUsdMicros}`;
  return undefined;
}

/** The starts of freshly scheduled steps, within the step budget; the rest wait for the worker's loop. */
function startedAlong(
  state: WorkflowRunState,
  scheduled: readonly WorkflowRunFact[],
  command: Held & { begin?: { childRunIds: Readonly<Record<string, string>> } | undefined },
): WorkflowRunFact[] {
  const run = state.run;
  if (!run || state.phase !== 'running') return [];
  const facts: WorkflowRunFact[] = [];
  let started = state.startedAttempts;
  for (const fact of scheduled) {
    if (fact.type !== 'cp.workflow.step.scheduled' || started >= run.budget.maxSteps) continue;
    const node = nodeOf(command.graph, fact.data.nodeId);
    const childRunId = command.begin?.childRunIds[node.id];
    facts.push({
      type: 'cp.workflow.step.started',
      data: {
        nodeId: node.id,
        attempt: 1,
        nodeType: node.type,
        holder: command.holder,
        timeoutAt: iso(command.now, stepPolicy(node).timeoutMs),
        ...(childRunId ? { childRunId } : {}),
      },
    });
    started += 1;
  }
  return facts;
}

export function decideWorkflowRun(command: WorkflowRunCommand, state: WorkflowRunState): WorkflowRunFact[] {
  switch (command.type) {
    case 'start': {
      if (state.phase !== 'none')
        throw new WorkflowRunError('run_exists', 'a run with this id already exists');
      const { workflow, input, trigger, budget, now } = command;
      const started: WorkflowRunFact[] = [
        { type: 'cp.run.started', data: { kind: 'workflow', name: clip(workflow.name).slice(0, 200) } },
        {
          type: 'cp.workflow.run.started',
          data: {
            workflowId: workflow.id,
            version: workflow.version,
            graphSha256: workflow.sha256,
            trigger,
            input,
            budget,
            deadline: iso(now, budget.maxWallMs),
          },
        },
      ];
      return [...started, ...next(fold(state, started), workflow.graph)];
    }

    case 'claim': {
      const run = running(state);
      const { holder, now } = command;
      const lease = state.lease;
      if (lease && lease.holder !== holder && Date.parse(lease.expiresAt) > now.getTime() && !command.force)
        throw new WorkflowRunError(
          'run_leased',
          `the run is held by ${lease.holder} until ${lease.expiresAt}`,
        );
      if (now.getTime() >= Date.parse(run.deadline))
        return [
          finished('failed', `budget: the run passed its wall-time limit of ${run.budget.maxWallMs} ms`),
        ];
      const facts: WorkflowRunFact[] = [
        { type: 'cp.workflow.run.leased', data: { holder, expiresAt: iso(now, command.leaseMs) } },
      ];
      for (const step of Object.values(state.steps)) {
        if (step.status !== 'running' || step.holder === holder) continue;
        const recovered = retryOrFail({
          node: nodeOf(command.graph, step.nodeId),
          attempt: step.attempt,
          code: 'interrupted',
          message: `the worker running attempt ${step.attempt} (${step.holder ?? 'unknown'}) stopped before it finished`,
          retryable: true,
          now,
          jitter: command.jitter,
        });
        facts.push(...recovered);
        if (recovered.some((f) => f.type === 'cp.run.completed')) break;
      }
      return facts;
    }

    case 'release':
      return state.lease?.holder === command.holder && state.phase === 'running'
        ? [{ type: 'cp.workflow.run.released', data: { holder: command.holder } }]
        : [];

    case 'begin': {
      const run = running(state);
      holding(state, command.holder);
      const { nodeId, now } = command;
      const step = state.steps[nodeId];
      if (step?.status !== 'scheduled')
        throw new WorkflowRunError('step_not_active', `step ${nodeId} is ${step?.status ?? 'not scheduled'}`);
      if (step.notBefore && Date.parse(step.notBefore) > now.getTime())
        throw new WorkflowRunError('step_not_active', `step ${nodeId} is not due before ${step.notBefore}`);
      const node = nodeOf(command.graph, nodeId);
      const budget = overBudget(state, now);
      if (budget) return [finished('failed', budget)];
      if (state.startedAttempts >= run.budget.maxSteps)
        return [
          {
            type: 'cp.workflow.step.failed',
            data: {
              nodeId,
              attempt: step.attempt,
              code: 'budget_exceeded',
              error: `the run reached its limit of ${run.budget.maxSteps} steps`,
            },
          },
          finished('failed', `budget: the run reached its limit of ${run.budget.maxSteps} steps`),
        ];
      return [
        {
          type: 'cp.workflow.step.started',
          data: {
            nodeId,
            attempt: step.attempt,
            nodeType: node.type,
            holder: command.holder,
            timeoutAt: iso(now, stepPolicy(node).timeoutMs),
            ...(command.childRunId ? { childRunId: command.childRunId } : {}),
          },
        },
      ];
    }

    case 'wait': {
      running(state);
      holding(state, command.holder);
      activeStep(state, command.nodeId, command.attempt, ['running']);
      const waiting: WorkflowRunFact = {
        type: 'cp.workflow.step.waiting',
        data: { nodeId: command.nodeId, attempt: command.attempt, hitlRequestId: command.hitlRequestId },
      };
      const after = fold(state, [waiting]);
      const busy = Object.values(after.steps).some((s) => s.status === 'scheduled' || s.status === 'running');
      // Nothing left for a worker to do until the person decides: let any worker pick the run up then.
      return busy
        ? [waiting]
        : [waiting, { type: 'cp.workflow.run.released', data: { holder: command.holder } }];
    }

    case 'complete': {
      running(state);
      holding(state, command.holder);
      const { nodeId, attempt, outcome, graph, now } = command;
      activeStep(state, nodeId, attempt, ['running', 'waiting']);
      const cost = command.costMicros;
      if (!outcomeHandled(graph, nodeId, outcome))
        return [
          {
            type: 'cp.workflow.step.failed',
            data: {
              nodeId,
              attempt,
              code: outcome ?? 'failed',
              error: `no edge follows the "${outcome}" outcome`,
              ...(cost ? { costMicros: cost } : {}),
            },
          },
          finished('failed', `step ${nodeId} ended "${outcome}" and no edge follows that outcome`),
        ];
      const completed: WorkflowRunFact = {
        type: 'cp.workflow.step.completed',
        data: {
          nodeId,
          attempt,
          output: command.output ?? null,
          ...(outcome !== undefined ? { outcome } : {}),
          costMicros: cost,
          ...(command.childRunId ? { childRunId: command.childRunId } : {}),
        },
      };
      const after = fold(state, [completed]);
      const budget = overBudget(after, now);
      if (budget) return [completed, finished('failed', budget)];
      const following = next(after, graph);
      if (!command.begin) return [completed, ...following];
      return [completed, ...following, ...startedAlong(fold(after, following), following, command)];
    }

    case 'fail': {
      running(state);
      holding(state, command.holder);
      activeStep(state, command.nodeId, command.attempt, ['running', 'waiting']);
      return retryOrFail({ ...command, node: nodeOf(command.graph, command.nodeId) });
    }

    case 'cancel':
      running(state);
      return [finished('cancelled', command.reason ?? 'cancelled')];

    case 'abort':
      running(state);
      return [finished('failed', command.reason)];

    case 'expire': {
      if (state.phase !== 'running' || !state.run) return [];
      return command.now.getTime() >= Date.parse(state.run.deadline)
        ? [
            finished(
              'failed',
              `budget: the run passed its wall-time limit of ${state.run.budget.maxWallMs} ms`,
            ),
          ]
        : [];
    }

    default:
      return command satisfies never;
  }
}

/**
 * A workflow run's lifecycle (docs/workflow-engine.md): started pinned to a version; each step scheduled,
 * started by the worker holding the lease, then completed, failed or retried; completion schedules what
 * the graph makes ready and ends the run when nothing is left; budgets, timeouts and cancellation fail or
 * stop it. Every rule that could be broken twice is refused on the fold, so an append at the version read
 * lands at most once.
 */
export const workflowRunDecider: Decider<WorkflowRunCommand, WorkflowRunState, WorkflowRunFact> = {
  initialState: initialWorkflowRunState,
  understands: isWorkflowRunFact,
  decide: decideWorkflowRun,
  evolve: evolveWorkflowRun,
};
