import { CoreError, type CrossVendorErrorCode, type RunErrorCode } from '@proofpane/core';

/** One problem with a suite: where in the request body it sits, and what to fix. */
export interface SuiteProblem {
  field: string;
  message: string;
}

/** Why a suite or a run command was refused: a code from the cross-vendor or runs section. */
export class CrossVendorError extends CoreError {
  constructor(
    override readonly code: CrossVendorErrorCode | RunErrorCode,
    message: string,
    readonly problems: readonly SuiteProblem[] = [],
  ) {
    super(code, message);
  }
}
