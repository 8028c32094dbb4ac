export { type UseCaseCommand, type UseCaseRequester, useCaseDecider } from './decide.js';
export { UseCaseError } from './errors.js';
export {
  USE_CASE_FACT_TYPES,
  type UseCaseFact,
  type UseCaseIntake,
  type UseCaseStatus,
  type UseCaseTier,
  useCaseSubject,
} from './facts.js';
export {
  assertUseCaseExists,
  handleUseCaseCommand,
  type LiveUseCase,
  loadUseCase,
  useCaseExists,
} from './handlers.js';
export { changedFields, checkIntake } from './intake-rules.js';
export { evolveUseCase, initialUseCaseState, type TierSuggestion, type UseCaseState } from './state.js';
export {
  suggestUseCaseTier,
  TIER_SKILL_ID,
  type TierSuggestionOutcome,
  tierSkillInput,
} from './suggest-tier.js';
