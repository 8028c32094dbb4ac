import type { Actor } from '@proofpane/core';
import type { Fact } from '../kit/fact.js';

/** The events of one approval request, subject `hitl/<request id>`, as the HITL decider sees them. */
export type HitlFact = Fact<
  | 'cp.hitl.requested'
  | 'cp.hitl.resolved'
  | 'cp.hitl.expired'
  | 'cp.hitl.consumed'
  | 'cp.hitl.precedent.revoked'
>;

const REQUEST_TYPES: ReadonlySet<string> = new Set<HitlFact['type']>([
  'cp.hitl.requested',
  'cp.hitl.resolved',
  'cp.hitl.expired',
  'cp.hitl.consumed',
  'cp.hitl.precedent.revoked',
]);

/** Approver pairing shares the `cp.hitl.` prefix but lives on other subjects; the request decider skips it. */
export const isHitlRequestFact = (type: string): boolean => REQUEST_TYPES.has(type);

export const hitlSubject = (requestId: string) => `hitl/${requestId}`;

/**
 * Who an auto-approval and a default denial are attributed to. The queue's `resolved_by` and its
 * rebuild read these ids back from the events, so they are part of the log's contract.
 */
export const PRECEDENTS_ACTOR: Actor = { kind: 'system', id: 'precedents' };
export const TIMEOUT_ACTOR: Actor = { kind: 'system', id: 'hitl-timeout' };
