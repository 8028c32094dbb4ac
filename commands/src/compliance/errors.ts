import { type ComplianceErrorCode, CoreError } from '@proofpane/core';

/** Thrown by the compliance decider; status and title are the catalogue's compliance section. */
export class ComplianceError extends CoreError {
  constructor(
    override readonly code: ComplianceErrorCode,
    detail: string,
  ) {
    super(code, detail);
  }
}
