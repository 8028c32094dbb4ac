import type { EventData } from '@proofpane/core';
import type { Fact } from '../kit/fact.js';

export const workflowRunFactTypes = [
  'cp.run.started',
  'cp.run.completed',
  'cp.workflow.run.started',
  'cp.workflow.run.leased',
  'cp.workflow.run.released',
  'cp.workflow.step.scheduled',
  'cp.workflow.step.started',
  'cp.workflow.step.waiting',
  'cp.workflow.step.completed',
  'cp.workflow.step.failed',
  'cp.workflow.step.retried',
] as const;

export type WorkflowRunFact = Fact<(typeof workflowRunFactTypes)[number]>;
export type WorkflowRunStarted = EventData<'cp.workflow.run.started'>;
export type WorkflowTrigger = WorkflowRunStarted['trigger'];
export type RunBudget = WorkflowRunStarted['budget'];

const understood = new Set<string>(workflowRunFactTypes);
export const isWorkflowRunFact = (type: string): boolean => understood.has(type);

/** The subject of a run: `run/<id>` (docs/runs.md). */
export const runSubject = (runId: string) => `run/${runId}`;

/** Workflow run ids: `wfr_` and 20 random characters, or derived from what started the run (see `derivedRunId`). */
export const WORKFLOW_RUN_PREFIX = 'wfr';
