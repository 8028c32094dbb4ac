/**
 * Self-evolution of skills' system prompts (docs/evolution.md): genes proposed by dreams or people,
 * approved by another person, composed into capsules named by their text's SHA-256, one active capsule
 * per (org, skill); the runner's capsule hook, dreams over the log's signals, sandbox replays and the
 * `stale_after_days` rule.
 */
export { evolutionCapDecider, recordEvolutionCapped } from './budget-cap.js';
export { capsuleIdOf, composeCapsule } from './capsule-text.js';
export { type EvolutionCommand, evolutionDecider } from './decide.js';
export { type DreamOutcome, dream } from './dream.js';
export { DREAMS_SUBJECT, type DreamCommand, decideDream, dreamsDecider } from './dream-lease.js';
export { EvolutionError } from './errors.js';
export { type EvolvableSkill, evolvableSkill, evolvableSkills, META_CODER } from './evolvable.js';
export { EVOLUTION_FACT_TYPES, type EvolutionFact, evolutionSubject } from './facts.js';
export { activeCapsule, evolutionCapsules, handleEvolutionCommand, loadEvolution } from './handlers.js';
export {
  type AnswerScore,
  type PairVerdict,
  type ReplayJudge,
  type ScoreRequest,
  schemaAndEvalCasesJudge,
} from './judge.js';
export { evolutionInputKeeper, KEPT_INPUT_CHARS, keptSkillInputs, migrateKeptInputs } from './kept-inputs.js';
export { configuredL4, l4ReplayJudge } from './l4-replay-judge.js';
export { evolutionModel } from './model.js';
export { replayGene } from './replay.js';
export {
  evalCaseInputs,
  type RecordedInput,
  type RecordedInputReader,
  type ReplayInput,
  type ReplayInputSource,
  recordedThenEvalCases,
} from './replay-inputs.js';
export {
  EVOLUTION_DEFAULTS,
  EVOLUTION_SETTINGS_SUBJECT,
  type EvolutionSettings,
  loadEvolutionSettings,
  updateEvolutionSettings,
} from './settings.js';
export { SIGNAL_EVENT_TYPES, type Signal, type SignalKind, skillSignals } from './signals.js';
export { staleSince } from './stale.js';
export {
  type CapsuleState,
  type EvolutionState,
  type GeneState,
  type GeneStatus,
  openProposals,
  type ReplayResult,
} from './state.js';
