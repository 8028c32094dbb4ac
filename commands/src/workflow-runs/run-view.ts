import type { EventEnvelope } from '@proofpane/core';
import { factsOf } from '../kit/fact.js';
import { isWorkflowRunFact, type WorkflowRunFact } from './facts.js';
import { evolveWorkflowRun, initialWorkflowRunState, runStatus, type StepStatus } from './state.js';

export interface StepView {
  nodeId: string;
  status: StepStatus;
  /** Attempts started so far. */
  attempts: number;
  startedAt: string | null;
  endedAt: string | null;
  output?: unknown;
  outcome?: string;
  error?: { code: string; message: string };
  /** The skill run a skill step started, for the run tree. */
  childRunId?: string;
  hitlRequestId?: string;
  costMicros: number;
}

export interface WorkflowRunView {
  id: string;
  workflowId: string;
  version: number;
  graphSha256: string;
  trigger: { kind: string; ref?: string | undefined };
  status: 'running' | 'waiting' | 'succeeded' | 'failed' | 'cancelled';
  error: string | null;
  input: unknown;
  startedAt: string;
  endedAt: string | null;
  costMicros: number;
  steps: StepView[];
}

/**
 * A run as its events tell it, for the API: the decider's fold for status, outputs and cost, and the
 * envelopes' times for when each step started (its first attempt) and ended.
 */
export function workflowRunView(
  runId: string,
  events: readonly EventEnvelope[],
): WorkflowRunView | undefined {
  const state = factsOf<WorkflowRunFact>(events, isWorkflowRunFact).reduce(
    evolveWorkflowRun,
    initialWorkflowRunState(),
  );
  const run = state.run;
  const status = runStatus(state);
  if (!run || status === 'none') return undefined;
  const times = new Map<
    string,
    { startedAt: string | null; endedAt: string | null; attempts: number; childRunId?: string }
  >();
  let endedAt: string | null = null;
  for (const event of events) {
    if (event.type === 'cp.run.completed') endedAt = event.time;
    const nodeId = (event.data as { nodeId?: unknown }).nodeId;
    if (typeof nodeId !== 'string' || !event.type.startsWith('cp.workflow.step.')) continue;
    const entry = times.get(nodeId) ?? { startedAt: null, endedAt: null, attempts: 0 };
    if (event.type === 'cp.workflow.step.started') {
      entry.startedAt ??= event.time;
      entry.attempts += 1;
    }
    if (event.type === 'cp.workflow.step.completed' || event.type === 'cp.workflow.step.failed')
      entry.endedAt = event.time;
    const child = (event.data as { childRunId?: unknown }).childRunId;
    if (typeof child === 'string') entry.childRunId = child;
    times.set(nodeId, entry);
  }
  const steps = [...times.keys()].flatMap((nodeId): StepView[] => {
    const step = state.steps[nodeId];
    if (!step) return [];
    const time = times.get(nodeId)!;
    return [
      {
        nodeId,
        status: step.status,
        attempts: time.attempts,
        startedAt: time.startedAt,
        endedAt: time.endedAt,
        ...(step.status === 'completed' ? { output: step.output } : {}),
        ...(step.outcome !== undefined ? { outcome: step.outcome } : {}),
        ...(step.error ? { error: step.error } : {}),
        ...(time.childRunId ? { childRunId: time.childRunId } : {}),
        ...(step.hitlRequestId ? { hitlRequestId: step.hitlRequestId } : {}),
        costMicros: step.costMicros,
      },
    ];
  });
  return {
    id: runId,
    workflowId: run.workflowId,
    version: run.version,
    graphSha256: run.graphSha256,
    trigger: run.trigger,
    status,
    error: state.error ?? null,
    input: run.input,
    startedAt: events.find((e) => e.type === 'cp.workflow.run.started')?.time ?? events[0]!.time,
    endedAt,
    costMicros: state.costMicros,
    steps,
  };
}
