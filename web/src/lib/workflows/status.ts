import type { WorkflowRunStatus, WorkflowStatus, WorkflowStepView } from '@proofpane/api';

/** A run still going: it can be cancelled, and its page keeps listening for its events. */
export const runIsActive = (status: WorkflowRunStatus) => status === 'running' || status === 'waiting';

/** Badge colours: done is good, going or waiting is pending, anything else went wrong. */
export const runTone = (status: WorkflowRunStatus) =>
  status === 'succeeded' ? 'ok' : runIsActive(status) ? 'warn' : 'bad';

export const stepTone = (status: WorkflowStepView['status']) =>
  status === 'completed' ? 'ok' : status === 'failed' ? 'bad' : 'warn';

/** A draft is neither good nor bad; a deprecated workflow runs no more unless a version is named. */
export const workflowTone = (status: WorkflowStatus) =>
  status === 'published' ? 'ok' : status === 'deprecated' ? 'bad' : '';
