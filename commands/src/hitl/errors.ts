import { CoreError, type HitlErrorCode } from '@proofpane/core';

/**
 * What the HITL decider refuses with: the catalogue's HITL section (`core/src/errors/catalogue/hitl.ts`),
 * plus `hitl_required` (a pending approval is the gate's refusal) and the platform's `not_found` and
 * `conflict` for a request or precedent that does not exist, or an id taken twice.
 */
export type HitlRefusal = HitlErrorCode | 'hitl_required' | 'not_found' | 'conflict';

/** Thrown by `decide` when a command would break a HITL rule; status and title are the catalogue's. */
export class HitlError extends CoreError {
  constructor(
    readonly hitlCode: HitlRefusal,
    detail?: string,
  ) {
    super(hitlCode, detail);
  }
}
