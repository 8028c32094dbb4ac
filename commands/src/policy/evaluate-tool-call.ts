import type { DlpSummary } from '../dlp/summary.js';
import { blockedPatternViolations } from './blocked-patterns.js';
import type { CompiledPolicy } from './compile.js';
import { type Decision, type DecisionCode, decide, type Violation } from './decision.js';
import { applyDlp } from './dlp-gate.js';

export interface ToolCallRequest {
  tool: string;
  agent?: string;
  /** Where the tool runs: in the server process (`local`) or on a paired machine (`remote`, the default). */
  runtime?: 'local' | 'remote';
  /** The call's arguments as the model produced them (a JSON string) or already parsed. */
  arguments: string | Record<string, unknown>;
}

export interface ToolCallEvaluation {
  decision: Decision;
  code?: DecisionCode;
  reason: string;
  rulesMatched: string[];
  dlp: DlpSummary;
  /** Set when the decision is `hitl`: how long the approval request stays open. */
  hitlTimeoutSeconds?: number;
  scope: string;
}

/**
 * Gate for one agent tool call. Arguments are scanned but never masked (the tool needs the real values):
 * a `mask` rule lets them through and is still counted, `block` and `hitl` rules apply as for prompts.
 */
export function evaluateToolCall(options: {
  policy: CompiledPolicy;
  call: ToolCallRequest;
}): ToolCallEvaluation {
  const { policy, call } = options;
  const scope = policy.scope(call.agent);
  const violations: Violation[] = [];
  const rulesMatched: string[] = scope.name === 'default' ? [] : [scope.name];
  const text = typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments);

  if (call.agent !== undefined && !Object.hasOwn(policy.document.agents, call.agent)) {
    // An agent the policy does not know would otherwise act with the org-wide scope.
    violations.push({
      code: 'policy_blocked',
      rule: 'agents',
      reason: `agent "${call.agent}" has no scope in the org's policy; add it under agents`,
    });
    rulesMatched.push('agents');
  }
  if (!scope.allowsTool(call.tool)) {
    const rule = scope.source('tools');
    violations.push({ code: 'policy_blocked', rule, reason: `tool "${call.tool}" is not allowed` });
    rulesMatched.push(rule);
  }
  for (const violation of blockedPatternViolations(policy, [text])) {
    violations.push(violation);
    rulesMatched.push(violation.rule);
  }
  if (scope.toolNeedsApproval(call.tool, call.runtime)) {
    const rule = scope.toolNeedsApproval(call.tool) ? scope.source('hitlTools') : scope.source('localTools');
    violations.push({ code: 'hitl_required', rule, reason: `tool "${call.tool}" requires human approval` });
    rulesMatched.push(rule);
  }
  const dlp = applyDlp({ scope, texts: [text], doMask: false });
  violations.push(...dlp.violations);
  rulesMatched.push(...dlp.rulesMatched);
  const verdict = decide(violations);
  return {
    ...verdict,
    rulesMatched,
    dlp: dlp.summary,
    ...(verdict.decision === 'hitl' ? { hitlTimeoutSeconds: policy.hitlTimeoutSeconds } : {}),
    scope: scope.name,
  };
}
