import { CoreError, type ErrorCode } from '@proofpane/core';

/**
 * Why a multi-agent run did not produce an answer: a code of the multi-agent section
 * (`multi_agent_quorum_not_met`, …) or a run code (`run_exists`); `runId` once the run was recorded.
 */
export class MultiAgentError extends CoreError {
  constructor(
    override readonly code: ErrorCode,
    message: string,
    readonly context: { runId?: string; failures?: { agentIndex: number; code: string }[] } = {},
  ) {
    super(code, message, { ...context });
  }
}
