import { CoreError, type UseCaseErrorCode } from '@proofpane/core';

/** Thrown by the use-case decider; status and title are the catalogue's use-cases section. */
export class UseCaseError extends CoreError {
  constructor(
    override readonly code: UseCaseErrorCode,
    detail: string,
  ) {
    super(code, detail);
  }
}
