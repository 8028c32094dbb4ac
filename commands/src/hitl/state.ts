import type { HitlFact } from './facts.js';

export type HitlStatus = 'none' | 'pending' | 'approved' | 'denied' | 'expired';

/** What the rules of one approval request depend on, folded from its events. */
export interface HitlState {
  status: HitlStatus;
  argsSha256: string | undefined;
  expiresAt: string | undefined;
  consumed: boolean;
  /** Decided by precedents, not by a person: such a decision is no precedent itself. */
  auto: boolean;
  precedentRevoked: boolean;
}

export const initialHitlState = (): HitlState => ({
  status: 'none',
  argsSha256: undefined,
  expiresAt: undefined,
  consumed: false,
  auto: false,
  precedentRevoked: false,
});

export function evolveHitl(state: HitlState, fact: HitlFact): HitlState {
  switch (fact.type) {
    case 'cp.hitl.requested':
      return {
        ...state,
        status: 'pending',
        argsSha256: fact.data.argsSha256,
        expiresAt: fact.data.expiresAt,
      };
    case 'cp.hitl.resolved':
      return {
        ...state,
        status: fact.data.decision === 'approve' ? 'approved' : 'denied',
        auto: fact.data.auto,
      };
    case 'cp.hitl.expired':
      return { ...state, status: 'expired' };
    case 'cp.hitl.consumed':
      return { ...state, consumed: true };
    case 'cp.hitl.precedent.revoked':
      return { ...state, precedentRevoked: true };
    default:
      return fact satisfies never;
  }
}
