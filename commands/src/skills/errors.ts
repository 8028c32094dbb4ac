import { CoreError, type ErrorCode } from '@proofpane/core';
import type { SchemaProblem } from './json-schema.js';

/**
 * Why a skill run did not produce an answer: a code of the skills section (`skill_input_invalid`,
 * `skill_output_invalid`, …), a gate's own code when the governed call was refused (`policy_blocked`,
 * `hitl_required`, `budget_exceeded`, `provider_error`), or a run code (`run_exists`). `runId` is set once
 * the run was recorded; `problems` name the failing input or output paths.
 */
export class SkillRunError extends CoreError {
  constructor(
    override readonly code: ErrorCode,
    message: string,
    readonly context: {
      runId?: string;
      requestId?: string;
      hitlRequestId?: string;
      problems?: SchemaProblem[];
    } = {},
  ) {
    super(code, message, { ...context });
  }
}
