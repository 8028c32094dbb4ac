import { mask } from '../dlp/mask.js';
import { scan } from '../dlp/scan.js';
import { type DlpSummary, summarize } from '../dlp/summary.js';
import type { DlpVault, EntityType, Finding } from '../dlp/types.js';
import type { CompiledScope } from './compile.js';
import { dlpTypesSentence, type Violation } from './decision.js';

export interface DlpGateResult {
  summary: DlpSummary;
  maskedTexts: string[];
  vault: DlpVault;
  violations: Violation[];
  rulesMatched: string[];
}

/** Scans texts, applies the scope's per-type actions, and masks with one vault shared by all texts. */
export function applyDlp(options: {
  scope: CompiledScope;
  texts: readonly string[];
  doMask: boolean;
}): DlpGateResult {
  const { scope, texts, doMask } = options;
  const findings: Finding[][] = texts.map((t) => scan(t));
  const summary = summarize(findings.flat());
  const byAction = { block: [] as EntityType[], hitl: [] as EntityType[], mask: [] as EntityType[] };
  const rulesMatched: string[] = [];
  for (const type of Object.keys(summary) as EntityType[]) {
    const action = scope.dlp.get(type) ?? 'allow';
    if (action === 'allow') continue;
    byAction[action].push(type);
    rulesMatched.push(`${scope.source(`dlp.${type}`)}:${action}`);
  }
  const violations: Violation[] = [];
  if (byAction.block.length > 0) {
    violations.push({
      code: 'dlp_blocked',
      rule: 'dlp',
      reason: `blocked sensitive data: ${dlpTypesSentence(summary, byAction.block)}`,
    });
  }
  if (byAction.hitl.length > 0) {
    violations.push({
      code: 'hitl_required',
      rule: 'dlp',
      reason: `sensitive data needs human approval: ${dlpTypesSentence(summary, byAction.hitl)}`,
    });
  }
  let vault: DlpVault = {};
  const maskTypes = new Set(byAction.mask);
  const maskedTexts = texts.map((text, i) => {
    if (!doMask || maskTypes.size === 0) return text;
    const result = mask({ text, findings: findings[i]!, vault, types: maskTypes });
    vault = result.vault;
    return result.text;
  });
  return { summary, maskedTexts, vault, violations, rulesMatched };
}
