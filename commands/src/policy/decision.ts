import type { DlpSummary } from '../dlp/summary.js';

export type Decision = 'allow' | 'block' | 'hitl';
export type DecisionCode = 'policy_blocked' | 'dlp_blocked' | 'hitl_required';

/** One reason the gate did not simply allow; the most severe one decides. */
export interface Violation {
  code: DecisionCode;
  rule: string;
  reason: string;
}

const SEVERITY: DecisionCode[] = ['policy_blocked', 'dlp_blocked', 'hitl_required'];

export function decide(violations: readonly Violation[]): {
  decision: Decision;
  code?: DecisionCode;
  reason: string;
} {
  const worst = [...violations].sort((a, b) => SEVERITY.indexOf(a.code) - SEVERITY.indexOf(b.code))[0];
  if (!worst) return { decision: 'allow', reason: 'allowed by policy' };
  return {
    decision: worst.code === 'hitl_required' ? 'hitl' : 'block',
    code: worst.code,
    reason: worst.reason,
  };
}

export function dlpTypesSentence(summary: DlpSummary, types: readonly string[]): string {
  return types.map((t) => `${t} ×${summary[t as keyof DlpSummary] ?? 0}`).join(', ');
}
