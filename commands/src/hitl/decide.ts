import { PU_PROMOTION_TARGET } from '@proofpane/api';
import type { Decider } from '../kit/decider.js';
import { argClass } from './arg-class.js';
import { HitlError } from './errors.js';
import { type HitlFact, isHitlRequestFact } from './facts.js';
import type { PrecedentMatch } from './precedents.js';
import type { HitlRequestInput } from './request-input.js';
import { assessRisk, type Risk } from './risk.js';
import { evolveHitl, type HitlState, initialHitlState } from './state.js';

/** What the org's precedents say about a new request: the support and the approvals it cites. */
export type PrecedentSupport = Pick<PrecedentMatch, 'score' | 'cited'>;

export type RequestCommand = Omit<HitlRequestInput, 'org' | 'actor' | 'meta'> & {
  type: 'request';
  requestId: string;
  now: Date;
  support: PrecedentSupport;
};

export type HitlCommand =
  | RequestCommand
  | {
      type: 'resolve';
      requestId: string;
      decision: 'approve' | 'deny';
      remember: boolean;
      note?: string | undefined;
      now: Date;
    }
  | { type: 'consume'; requestId: string; argsSha256: string }
  /** The timeout sweep's default denial; the sweep picks what is due, by the queue's deadline. */
  | { type: 'expire'; requestId: string }
  | { type: 'revoke-precedent'; requestId: string };

/** What a precedent lookup for this request must ask (`PrecedentIndex.match`). */
export const precedentQuery = (
  command: Pick<RequestCommand, 'kind' | 'target' | 'args' | 'summary' | 'dlp' | 'autoApproveThreshold'>,
): { target: string; argClass: string; text: string; risk: Risk; threshold: number } => ({
  target: command.target,
  argClass: argClass(command.args),
  text: command.summary,
  risk: assessRisk(command),
  threshold: command.autoApproveThreshold,
});

function decideRequest(command: RequestCommand, state: HitlState): HitlFact[] {
  if (state.status !== 'none') {
    throw new HitlError('conflict', `approval request ${command.requestId} already exists`);
  }
  if (command.kind === 'pu_promotion' && !PU_PROMOTION_TARGET.test(command.target))
    throw new HitlError('conflict', 'a pu_promotion request targets pu-item/<item id>/gene or /coder');
  const { requestId, support } = command;
  const query = precedentQuery(command);
  const requested: HitlFact = {
    type: 'cp.hitl.requested',
    data: {
      requestId,
      kind: command.kind,
      target: command.target,
      argsSha256: command.argsSha256,
      argClass: query.argClass,
      risk: query.risk,
      summary: command.summary.slice(0, 2_000),
      reason: command.reason.slice(0, 500),
      rulesMatched: command.rulesMatched,
      dlp: command.dlp,
      ...(command.agent ? { agent: command.agent } : {}),
      ...(command.choices?.length ? { choices: command.choices } : {}),
      expiresAt: new Date(command.now.getTime() + command.timeoutSeconds * 1000).toISOString(),
    },
  };
  // A wrong approval of a shell command or a secret costs too much to leave to precedent, whatever the support.
  const auto = query.risk !== 'high' && support.cited.length > 0 && support.score >= query.threshold;
  if (!auto) return [requested];
  return [
    requested,
    {
      type: 'cp.hitl.resolved',
      data: { requestId, decision: 'approve', remember: false, auto: true, precedents: support.cited },
    },
  ];
}

/**
 * One approval request's rules (docs/hitl.md): it resolves once, only while pending and before its
 * deadline; an approval lets the exact same arguments through once; a request still pending at the
 * sweep is denied by default; a person's decision is a precedent until revoked.
 */
export function decideHitl(command: HitlCommand, state: HitlState): HitlFact[] {
  const { requestId } = command;
  switch (command.type) {
    case 'request':
      return decideRequest(command, state);
    case 'resolve':
      if (state.status === 'none') throw new HitlError('not_found', 'no such approval request');
      if (state.status !== 'pending')
        throw new HitlError('already_resolved', `the request is already ${state.status}`);
      if (state.expiresAt && Date.parse(state.expiresAt) <= command.now.getTime()) {
        throw new HitlError('already_resolved', 'the request expired and was denied by default');
      }
      return [
        {
          type: 'cp.hitl.resolved',
          data: {
            requestId,
            decision: command.decision,
            remember: command.remember,
            auto: false,
            ...(command.note ? { note: command.note } : {}),
          },
        },
      ];
    case 'consume':
      if (state.status === 'none') throw new HitlError('hitl_unknown', 'no such approval request');
      if (state.status === 'pending')
        throw new HitlError('hitl_required', 'the request is still waiting for a decision');
      if (state.status !== 'approved') throw new HitlError('hitl_denied', `the request was ${state.status}`);
      if (state.argsSha256 !== command.argsSha256) {
        throw new HitlError('hitl_mismatch', 'the approval was given for different arguments; ask again');
      }
      if (state.consumed) throw new HitlError('hitl_used', 'this approval was already used');
      return [{ type: 'cp.hitl.consumed', data: { requestId } }];
    case 'expire':
      // A decision that got there first wins; the sweep has nothing left to deny.
      if (state.status !== 'pending') return [];
      return [{ type: 'cp.hitl.expired', data: { requestId, decision: 'deny' } }];
    case 'revoke-precedent':
      // Expired requests stay revocable, as they always were: their revocation changes no support.
      if (state.status === 'none' || state.status === 'pending' || state.auto || state.precedentRevoked) {
        throw new HitlError('not_found', `no active precedent ${requestId}`);
      }
      return [{ type: 'cp.hitl.precedent.revoked', data: { requestId } }];
    default:
      return command satisfies never;
  }
}

export const hitlDecider: Decider<HitlCommand, HitlState, HitlFact> = {
  decide: decideHitl,
  evolve: evolveHitl,
  initialState: initialHitlState,
  understands: isHitlRequestFact,
};
