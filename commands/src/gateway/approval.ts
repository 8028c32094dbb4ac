import { hash } from 'node:crypto';
import { canonicalJson } from '@proofpane/core';
import { reviewSummary } from '../hitl/index.js';
import type { PolicyEvaluation } from '../policy/index.js';
import type { ApprovalFact } from './call-facts.js';
import type { GatewayApprovals } from './deps.js';
import { requestTexts } from './texts.js';
import type { GatewayCall } from './types.js';

/** What an approval binds: the provider, model and the whole request as the caller sent it. */
export const callArgsSha256 = (call: GatewayCall) =>
  hash(
    'sha256',
    canonicalJson({ provider: call.request.provider, model: call.request.model, request: call.request }),
    'hex',
  );

/**
 * Uses the approval the caller names, or asks for one (precedents may approve at once). An approval is
 * bound to the exact request and used once; one that cannot be used is a fact for the decision, not an error.
 */
export async function obtainApproval(options: {
  approvals: GatewayApprovals;
  call: GatewayCall;
  verdict: Pick<PolicyEvaluation, 'reason' | 'rulesMatched' | 'dlp'>;
  timeoutSeconds: number;
}): Promise<ApprovalFact> {
  const { approvals, call, verdict } = options;
  const { caller } = call;
  const argsSha256 = callArgsSha256(call);
  const consume = async (requestId: string): Promise<ApprovalFact> => {
    try {
      await approvals.consume({ org: caller.org, actor: caller.actor, requestId, argsSha256 });
      return { status: 'approved', requestId };
    } catch (error) {
      return {
        status: 'unusable',
        requestId,
        reason: error instanceof Error ? error.message : String(error),
      };
    }
  };
  if (call.hitlApproval) return consume(call.hitlApproval);
  const created = await approvals.request({
    org: caller.org,
    actor: caller.actor,
    target: `llm/${call.request.provider}/${call.request.model}`,
    args: { model: call.request.model, tools: (call.request.tools ?? []).map((t) => t.name) },
    argsSha256,
    summary: reviewSummary(requestTexts(call.request)),
    reason: verdict.reason,
    rulesMatched: verdict.rulesMatched,
    dlp: verdict.dlp,
    agent: caller.agent,
    timeoutSeconds: options.timeoutSeconds,
  });
  if (created.status === 'approved') return consume(created.requestId);
  return { status: 'pending', requestId: created.requestId };
}
