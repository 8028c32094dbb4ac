import { type Actor, ConcurrencyError, type EventStore, newId } from '@proofpane/core';
import { toNewEvents } from '../kit/decider.js';
import { describeProblem, type SchemaProblem, validateAgainst } from '../skills/json-schema.js';
import type { WorkflowGraph } from '../workflows/graph.js';
import { decideWorkflowRun, type PinnedWorkflow } from './decide.js';
import { WorkflowRunError } from './errors.js';
import { type RunBudget, runSubject, WORKFLOW_RUN_PREFIX, type WorkflowTrigger } from './facts.js';
import { initialWorkflowRunState } from './state.js';

/** What a run may spend unless its caller asks for less (or more). */
export const DEFAULT_RUN_BUDGET: RunBudget = { maxSteps: 200, maxWallMs: 24 * 3_600_000 };

/** The trigger node's input JSON Schema, when it declares one. */
export function triggerInputSchema(graph: WorkflowGraph): Record<string, unknown> | undefined {
  const schema = graph.nodes.find((n) => n.type === 'trigger')?.config.inputSchema;
  return schema && typeof schema === 'object' && !Array.isArray(schema)
    ? (schema as Record<string, unknown>)
    : undefined;
}

/** Where the run input fails the trigger's schema: JSON Pointers into the input, never its values. */
export function runInputProblems(graph: WorkflowGraph, input: unknown): SchemaProblem[] {
  const schema = triggerInputSchema(graph);
  return schema ? validateAgainst(schema, input) : [];
}

export class RunInputError extends WorkflowRunError {
  constructor(readonly problems: SchemaProblem[]) {
    super(
      'run_input_invalid',
      `the run input fails the trigger's schema: ${problems.map(describeProblem).join('; ')}`,
    );
  }
}

/**
 * Starts a run of a published version: the input checked against the trigger's schema first, then
 * `cp.run.started` (kind `workflow`), the pin and the first steps scheduled, in one append that expects
 * the run subject not to exist. A run id derived from what started it (a schedule's tick, a webhook's
 * delivery, an event) therefore starts one run however many workers see the same cause.
 */
export async function startWorkflowRun(options: {
  store: EventStore;
  org: string;
  actor: Actor;
  workflow: PinnedWorkflow;
  input: unknown;
  trigger: WorkflowTrigger;
  budget?: Partial<RunBudget> | undefined;
  runId?: string | undefined;
  /** The org's AI use case the run serves, named on `cp.run.started`; the caller checks it exists. */
  useCaseId?: string | undefined;
  now: Date;
}): Promise<{ runId: string }> {
  const problems = runInputProblems(options.workflow.graph, options.input);
  if (problems.length > 0) throw new RunInputError(problems);
  const runId = options.runId ?? newId(WORKFLOW_RUN_PREFIX);
  const budget = { ...DEFAULT_RUN_BUDGET, ...options.budget };
  const decided = decideWorkflowRun(
    {
      type: 'start',
      workflow: options.workflow,
      input: options.input,
      trigger: options.trigger,
      budget,
      now: options.now,
    },
    initialWorkflowRunState(),
  );
  const { useCaseId } = options;
  const facts = useCaseId
    ? decided.map((f) => (f.type === 'cp.run.started' ? { ...f, data: { ...f.data, useCaseId } } : f))
    : decided;
  const subject = runSubject(runId);
  try {
    await options.store.append({
      org: options.org,
      events: toNewEvents({ facts, subject, actor: options.actor, meta: { runId } }),
      expectedVersions: { [subject]: 0 },
    });
  } catch (error) {
    if (error instanceof ConcurrencyError)
      throw new WorkflowRunError('run_exists', `run ${runId} was already started`);
    throw error;
  }
  return { runId };
}
