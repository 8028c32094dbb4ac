import type { DlpSummary } from '../dlp/summary.js';
import type { DlpVault } from '../dlp/types.js';
import { blockedPatternViolations } from './blocked-patterns.js';
import type { CompiledPolicy } from './compile.js';
import { type Decision, type DecisionCode, decide, type Violation } from './decision.js';
import { applyDlp } from './dlp-gate.js';

export interface PolicyRequest {
  provider: string;
  model: string;
  /** Selects a per-agent scope; an agent the policy does not name gets the org-wide rules. */
  agent?: string;
  maxTokens?: number;
  /** Names of the tools offered to the model. */
  tools?: string[];
  /** Images and documents in the request (their bytes are never read; only the count matters). */
  media?: number;
  /** Every text that will reach the provider (system prompt, messages, tool results), in order. */
  texts: string[];
}

/**
 * The policy gate's verdict. `maskedTexts` line up with `request.texts`; `vault` restores the answer and
 * must never be persisted. `dlp` holds entity types and counts only, which is what the decision event records.
 */
export interface PolicyEvaluation {
  decision: Decision;
  code?: DecisionCode;
  reason: string;
  rulesMatched: string[];
  dlp: DlpSummary;
  maskedTexts: string[];
  vault: DlpVault;
  /** The max-tokens limit of the applied scope, for the gateway to enforce on the provider call. */
  maxTokensLimit?: number;
  scope: string;
}

/** Pure evaluation of one LLM request against a compiled policy (no I/O; safe to call on every request). */
export function evaluatePolicy(options: {
  policy: CompiledPolicy;
  request: PolicyRequest;
}): PolicyEvaluation {
  const { policy, request } = options;
  const scope = policy.scope(request.agent);
  const violations: Violation[] = [];
  const rulesMatched: string[] = scope.name === 'default' ? [] : [scope.name];
  const refuse = (rule: string, reason: string) => {
    violations.push({ code: 'policy_blocked', rule, reason });
    rulesMatched.push(rule);
  };

  if (!scope.allowsProvider(request.provider)) {
    refuse(scope.source('providers'), `provider "${request.provider}" is not allowed`);
  }
  if (!scope.allowsModel(request.provider, request.model)) {
    refuse(scope.source('models'), `model "${request.provider}/${request.model}" is not allowed`);
  }
  if (
    scope.maxTokens !== undefined &&
    request.maxTokens !== undefined &&
    request.maxTokens > scope.maxTokens
  ) {
    refuse(
      scope.source('maxTokens'),
      `max tokens ${request.maxTokens} exceeds the limit of ${scope.maxTokens}`,
    );
  }
  if ((request.media ?? 0) > 0 && scope.media === 'block') {
    refuse(scope.source('media'), `images and documents are not allowed (${request.media} in the request)`);
  }
  for (const tool of request.tools ?? []) {
    if (!scope.allowsTool(tool)) refuse(scope.source('tools'), `tool "${tool}" is not allowed`);
  }
  for (const { rule, reason } of blockedPatternViolations(policy, request.texts)) refuse(rule, reason);

  const dlp = applyDlp({ scope, texts: request.texts, doMask: true });
  violations.push(...dlp.violations);
  rulesMatched.push(...dlp.rulesMatched);
  const verdict = decide(violations);
  return {
    ...verdict,
    rulesMatched,
    dlp: dlp.summary,
    maskedTexts: dlp.maskedTexts,
    vault: dlp.vault,
    ...(scope.maxTokens === undefined ? {} : { maxTokensLimit: scope.maxTokens }),
    scope: scope.name,
  };
}
