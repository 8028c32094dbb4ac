import { type CoderErrorCode, CoreError } from '@proofpane/core';

/** Thrown by the coder decider and its processes; status and title are the catalogue's coder section. */
export class CoderError extends CoreError {
  constructor(
    override readonly code: CoderErrorCode,
    detail: string,
  ) {
    super(code, detail);
  }
}
