import { CoreError } from '@proofpane/core';

export type HitlStatus = 'none' | 'pending' | 'approved' | 'denied' | 'expired';

export interface HitlState {
  status: HitlStatus;
  argsSha256: string | undefined;
  expiresAt: string | undefined;
  consumed: boolean;
}

export const initialHitlState = (): HitlState => ({
  status: 'none',
  argsSha256: undefined,
  expiresAt: undefined,
  consumed: false,
});

type HitlEvent =
  | { type: 'cp.hitl.requested'; data: { argsSha256: string; expiresAt: string } }
  | { type: 'cp.hitl.resolved'; data: { decision: 'approve' | 'deny' } }
  | { type: 'cp.hitl.expired' }
  | { type: 'cp.hitl.consumed' }
  | { type: 'cp.hitl.precedent.revoked' };

export function evolveHitl(state: HitlState, event: HitlEvent): HitlState {
  switch (event.type) {
    case 'cp.hitl.requested':
      return {
        ...state,
        status: 'pending',
        argsSha256: event.data.argsSha256,
        expiresAt: event.data.expiresAt,
      };
    case 'cp.hitl.resolved':
      return { ...state, status: event.data.decision === 'approve' ? 'approved' : 'denied' };
    case 'cp.hitl.expired':
      return { ...state, status: 'expired' };
    case 'cp.hitl.consumed':
      return { ...state, consumed: true };
    case 'cp.hitl.precedent.revoked':
      return state;
    default: {
      const unreachable: never = event;
      return unreachable;
    }
  }
}

export class HitlError extends CoreError {}

/** A request resolves once, and only while it is pending and not past its deadline. */
export function decideResolve(state: HitlState, now: Date): void {
  if (state.status === 'none') throw new HitlError('not_found', 'no such approval request', 404);
  if (state.status !== 'pending')
    throw new HitlError('already_resolved', `the request is already ${state.status}`, 409);
  if (state.expiresAt && Date.parse(state.expiresAt) <= now.getTime()) {
    throw new HitlError('already_resolved', 'the request expired and was denied by default', 409);
  }
}

/** An approval lets the exact same call through once. */
export function decideConsume(state: HitlState, argsSha256: string): void {
  if (state.status === 'none') throw new HitlError('hitl_unknown', 'no such approval request', 404);
  if (state.status === 'pending')
    throw new HitlError('hitl_required', 'the request is still waiting for a decision', 403);
  if (state.status !== 'approved') throw new HitlError('hitl_denied', `the request was ${state.status}`, 403);
  if (state.argsSha256 !== argsSha256) {
    throw new HitlError('hitl_mismatch', 'the approval was given for different arguments; ask again', 403);
  }
  if (state.consumed) throw new HitlError('hitl_used', 'this approval was already used', 403);
}
