import { CoreError, type QualityDriftErrorCode } from '@proofpane/core';

/** Thrown by the drift monitor's decider; status and title are the catalogue's quality-drift section. */
export class QualityDriftError extends CoreError {
  constructor(
    override readonly code: QualityDriftErrorCode,
    detail: string,
  ) {
    super(code, detail);
  }
}
