import { CoreError, type QualityJudgeErrorCode } from '@proofpane/core';

/** Thrown by the judge and the triage decider; status and title are the catalogue's quality-judge section. */
export class QualityJudgeError extends CoreError {
  constructor(
    override readonly code: QualityJudgeErrorCode,
    detail: string,
  ) {
    super(code, detail);
  }
}
