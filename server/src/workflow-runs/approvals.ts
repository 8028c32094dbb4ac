import type { HumanApprovals } from '@proofpane/commands';
import { ConcurrencyError, CoreError, canonicalJson, sha256Hex } from '@proofpane/core';
import { DEFAULT_AUTO_APPROVE_THRESHOLD, type HitlService } from '../hitl/service.js';
import { ApiError } from '../http/errors.js';

const REASON = 'a workflow step waits for a person before the run goes on';

/**
 * A hitl step's requests through the HITL service: queue, precedents, the SSE feed and the desktop
 * approver all see them as kind `workflow_step`, target `workflow/<id>/<node>`.
 */
export function hitlApprovals(hitl: HitlService): HumanApprovals {
  return {
    async open(input) {
      try {
        await hitl.request({
          org: input.org,
          actor: input.actor,
          kind: 'workflow_step',
          target: input.target,
          args: input.args,
          argsSha256: sha256Hex(canonicalJson(input.args)),
          summary: input.summary,
          reason: REASON,
          rulesMatched: [],
          dlp: {},
          timeoutSeconds: input.timeoutSeconds,
          autoApproveThreshold: DEFAULT_AUTO_APPROVE_THRESHOLD,
          meta: { runId: input.runId },
          requestId: input.requestId,
        });
      } catch (error) {
        // Opened before a restart: the request stands as it is.
        if (error instanceof ConcurrencyError || (error instanceof CoreError && error.code === 'conflict'))
          return;
        throw error;
      }
    },
    async decision({ org, requestId }) {
      try {
        return (await hitl.get({ org, requestId })).status;
      } catch (error) {
        if (error instanceof ApiError && error.code === 'not_found') return 'missing';
        throw error;
      }
    },
    whenDecided({ org, requestId }, then) {
      hitl.waitFor({ org, requestId }).then(
        () => then(),
        () => {},
      );
    },
  };
}
