export {
  APPROVER_TOKEN_DAYS,
  approverPairedEvent,
  approverRevokedEvent,
  approverSubject,
  recordApproverPaired,
  recordApproverRevoked,
} from './approvers.js';
export { argClass } from './arg-class.js';
export {
  decideHitl,
  type HitlCommand,
  hitlDecider,
  type PrecedentSupport,
  precedentQuery,
  type RequestCommand,
} from './decide.js';
export { HitlError } from './errors.js';
export { type HitlFact, hitlSubject, isHitlRequestFact, PRECEDENTS_ACTOR, TIMEOUT_ACTOR } from './facts.js';
export { expireApproval, handleHitlCommand, requestApproval } from './handlers.js';
export {
  MIN_SIMILARITY,
  type Precedent,
  PrecedentIndex,
  type PrecedentMatch,
  REMEMBER_WEIGHT,
} from './precedents.js';
export type { HitlConsumeInput, HitlRequestInput } from './request-input.js';
export { reviewSummary } from './review-summary.js';
export { assessRisk, type Risk } from './risk.js';
export { jaccard, tokens } from './similarity.js';
export { evolveHitl, type HitlState, type HitlStatus, initialHitlState } from './state.js';
