import type { RunBudget, WorkflowRunFact, WorkflowTrigger } from './facts.js';

export type StepStatus = 'scheduled' | 'running' | 'waiting' | 'completed' | 'failed';

export interface StepState {
  nodeId: string;
  status: StepStatus;
  attempt: number;
  /** A scheduled attempt does not start before this time (a retry's backoff). */
  notBefore?: string | undefined;
  /** A running attempt's deadline, and the worker that started it. */
  timeoutAt?: string | undefined;
  holder?: string | undefined;
  hitlRequestId?: string | undefined;
  /** The child run of the attempt in progress or of the one that completed. */
  childRunId?: string | undefined;
  output?: unknown;
  outcome?: string | undefined;
  error?: { code: string; message: string } | undefined;
  costMicros: number;
}

export interface PinnedRun {
  workflowId: string;
  version: number;
  graphSha256: string;
  trigger: WorkflowTrigger;
  input: unknown;
  budget: RunBudget;
  deadline: string;
}

export type RunPhase = 'none' | 'running' | 'succeeded' | 'failed' | 'cancelled';

/** A run as its events leave it; `status` (with `waiting`) is derived by `runStatus`. */
export interface WorkflowRunState {
  phase: RunPhase;
  run: PinnedRun | undefined;
  lease: { holder: string; expiresAt: string } | undefined;
  steps: Readonly<Record<string, StepState>>;
  /** Attempts started so far, retries included: what the step budget counts. */
  startedAttempts: number;
  costMicros: number;
  error: string | undefined;
}

export const initialWorkflowRunState = (): WorkflowRunState => ({
  phase: 'none',
  run: undefined,
  lease: undefined,
  steps: {},
  startedAttempts: 0,
  costMicros: 0,
  error: undefined,
});

export type WorkflowRunStatus = Exclude<RunPhase, 'none'> | 'waiting';

/** `waiting` while the only steps in progress wait for a person; otherwise the phase. */
export function runStatus(state: WorkflowRunState): WorkflowRunStatus | 'none' {
  if (state.phase !== 'running') return state.phase;
  const open = Object.values(state.steps).filter((s) => s.status !== 'completed' && s.status !== 'failed');
  return open.length > 0 && open.every((s) => s.status === 'waiting') ? 'waiting' : 'running';
}

const withStep = (state: WorkflowRunState, step: StepState): WorkflowRunState => ({
  ...state,
  steps: { ...state.steps, [step.nodeId]: step },
});

/** Adds what an attempt spent to its step and to the run. */
function spent(state: WorkflowRunState, nodeId: string, micros: number): WorkflowRunState {
  if (micros === 0) return state;
  const step = stepOf(state, nodeId);
  return {
    ...withStep(state, { ...step, costMicros: step.costMicros + micros }),
    costMicros: state.costMicros + micros,
  };
}

function stepOf(state: WorkflowRunState, nodeId: string): StepState {
  return state.steps[nodeId] ?? { nodeId, status: 'scheduled', attempt: 1, costMicros: 0 };
}

export function evolveWorkflowRun(state: WorkflowRunState, fact: WorkflowRunFact): WorkflowRunState {
  switch (fact.type) {
    case 'cp.run.started':
      return state.phase === 'none' ? { ...state, phase: 'running' } : state;
    case 'cp.run.completed':
      return { ...state, phase: fact.data.status, lease: undefined, error: fact.data.error };
    case 'cp.workflow.run.started': {
      const { workflowId, version, graphSha256, trigger, input, budget, deadline } = fact.data;
      return { ...state, run: { workflowId, version, graphSha256, trigger, input, budget, deadline } };
    }
    case 'cp.workflow.run.leased':
      return { ...state, lease: { holder: fact.data.holder, expiresAt: fact.data.expiresAt } };
    case 'cp.workflow.run.released':
      return state.lease?.holder === fact.data.holder ? { ...state, lease: undefined } : state;
    case 'cp.workflow.step.scheduled':
      return withStep(state, {
        nodeId: fact.data.nodeId,
        status: 'scheduled',
        attempt: fact.data.attempt,
        notBefore: fact.data.notBefore,
        costMicros: 0,
      });
    case 'cp.workflow.step.started':
      return {
        ...withStep(state, {
          ...stepOf(state, fact.data.nodeId),
          status: 'running',
          attempt: fact.data.attempt,
          notBefore: undefined,
          timeoutAt: fact.data.timeoutAt,
          holder: fact.data.holder,
          childRunId: fact.data.childRunId,
        }),
        startedAttempts: state.startedAttempts + 1,
      };
    case 'cp.workflow.step.waiting':
      return withStep(state, {
        ...stepOf(state, fact.data.nodeId),
        status: 'waiting',
        timeoutAt: undefined,
        hitlRequestId: fact.data.hitlRequestId,
      });
    case 'cp.workflow.step.completed':
      return spent(
        withStep(state, {
          ...stepOf(state, fact.data.nodeId),
          status: 'completed',
          timeoutAt: undefined,
          output: fact.data.output,
          outcome: fact.data.outcome,
        }),
        fact.data.nodeId,
        fact.data.costMicros,
      );
    case 'cp.workflow.step.failed':
      return spent(
        withStep(state, {
          ...stepOf(state, fact.data.nodeId),
          status: 'failed',
          timeoutAt: undefined,
          error: { code: fact.data.code, message: fact.data.error },
        }),
        fact.data.nodeId,
        fact.data.costMicros ?? 0,
      );
    case 'cp.workflow.step.retried':
      return spent(
        withStep(state, {
          ...stepOf(state, fact.data.nodeId),
          status: 'scheduled',
          attempt: fact.data.attempt,
          notBefore: fact.data.notBefore,
          timeoutAt: undefined,
          holder: undefined,
          hitlRequestId: undefined,
          error: { code: fact.data.code, message: fact.data.error },
        }),
        fact.data.nodeId,
        fact.data.costMicros ?? 0,
      );
    default:
      return fact satisfies never;
  }
}
