export { type OverrideActor, type OverrideCommand, overrideDecider } from './decide.js';
export {
  DEFAULT_SKILL_CONTROLS,
  effectiveMapping,
  isDefaultMapping,
  type SkillControlPair,
} from './default-mappings.js';
export { ComplianceError } from './errors.js';
export { OVERRIDE_EVENT_TYPES, type OverrideFact, overrideSubject } from './facts.js';
export { handleOverrideCommand } from './handlers.js';
export type { OverrideAction, OverrideState, OverrideStatus } from './state.js';
