import { CoreError, type RunErrorCode, type WorkflowRunErrorCode } from '@proofpane/core';

/** Thrown by the workflow run decider: the runs section's codes and the workflow runs section's. */
export class WorkflowRunError extends CoreError {
  constructor(
    override readonly code: RunErrorCode | WorkflowRunErrorCode,
    message: string,
  ) {
    super(code, message);
  }
}

export const isWorkflowRunError = (error: unknown, code?: string): error is WorkflowRunError =>
  error instanceof WorkflowRunError && (code === undefined || error.code === code);
