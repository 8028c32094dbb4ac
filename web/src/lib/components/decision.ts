/** What a gate or a person decided about a call, as Mission Control's decision column shows it. */
export type DecisionKind = 'allowed' | 'masked' | 'blocked' | 'approval' | 'approved' | 'refused';

export interface Decision {
  kind: DecisionKind;
  /** The word shown: colour and icon only repeat it. */
  label: string;
  tone: 'ok' | 'warn' | 'bad' | 'info';
  /** A glyph read as decoration (aria-hidden): the label carries the meaning. */
  icon: string;
}

const DECISIONS: Record<DecisionKind, Decision> = {
  allowed: { kind: 'allowed', label: 'allowed', tone: 'ok', icon: '✓' },
  masked: { kind: 'masked', label: 'masked', tone: 'info', icon: '◐' },
  blocked: { kind: 'blocked', label: 'blocked', tone: 'bad', icon: '⊘' },
  approval: { kind: 'approval', label: 'needs approval', tone: 'warn', icon: '!' },
  approved: { kind: 'approved', label: 'approved', tone: 'ok', icon: '✔' },
  refused: { kind: 'refused', label: 'refused', tone: 'bad', icon: '✕' },
};

export const decision = (kind: DecisionKind): Decision => DECISIONS[kind];

const hasFindings = (dlp: unknown) =>
  typeof dlp === 'object' && dlp !== null && Object.values(dlp).some((n) => typeof n === 'number' && n > 0);

/**
 * The decision an event records, or null for an event that decides nothing (a completed call, a
 * membership change). A policy allow with DLP findings is "masked": the provider saw the masked text.
 */
export function decisionOf(event: { type: string; data: Record<string, unknown> }): Decision | null {
  const d = event.data;
  switch (event.type) {
    case 'cp.gate.policy.decided':
      if (d['decision'] === 'block') return DECISIONS.blocked;
      if (d['decision'] === 'hitl') return DECISIONS.approval;
      return hasFindings(d['dlp']) ? DECISIONS.masked : DECISIONS.allowed;
    case 'cp.mcp.gate.decided':
      if (d['decision'] === 'block') return DECISIONS.blocked;
      if (d['decision'] === 'hitl_required') return DECISIONS.approval;
      return d['masked'] === true ? DECISIONS.masked : DECISIONS.allowed;
    case 'cp.tool.called':
      return hasFindings(d['dlp']) ? DECISIONS.masked : DECISIONS.allowed;
    case 'cp.hitl.requested':
      return DECISIONS.approval;
    case 'cp.hitl.resolved':
      return d['decision'] === 'approve' ? DECISIONS.approved : DECISIONS.refused;
    case 'cp.hitl.expired':
    case 'cp.gate.budget.refused':
    case 'cp.tool.refused':
    case 'cp.identity.credential.refused':
    case 'cp.identity.login.failed':
    case 'cp.workflow.hook.refused':
      return DECISIONS.refused;
    default:
      return null;
  }
}
