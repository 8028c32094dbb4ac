export { argClass } from './arg-class.js';
export {
  decideConsume,
  decideResolve,
  evolveHitl,
  HitlError,
  type HitlState,
  type HitlStatus,
  initialHitlState,
} from './decider.js';
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
