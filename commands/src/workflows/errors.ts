import { CoreError, type WorkflowErrorCode } from '@proofpane/core';
import type { ValidationProblem } from './validation-problem.js';

/** Thrown by the workflow decider; status and title are the catalogue's workflows section. */
export class WorkflowError extends CoreError {
  constructor(
    override readonly code: WorkflowErrorCode,
    detail: string,
  ) {
    super(code, detail);
  }
}

const where = (p: ValidationProblem) =>
  p.edge ? `edge ${p.edge.index} (${p.edge.from} → ${p.edge.to})` : p.node ? `node ${p.node}` : 'graph';

/** A graph the validator refused, with every problem for the client to show beside its node or edge. */
export class WorkflowInvalidError extends WorkflowError {
  constructor(readonly problems: readonly ValidationProblem[]) {
    const shown = problems.slice(0, 5).map((p) => `${where(p)}: ${p.message}`);
    const more = problems.length > shown.length ? `; and ${problems.length - shown.length} more` : '';
    super('workflow_invalid', `${shown.join('; ')}${more}`);
  }
}
