/**
 * Governed skills: 24 structured model calls with fixed contracts, in 8 categories (docs/skills.md).
 *
 * The catalogue: `getSkill(id)`, `listSkills()`, `skillsByCategory()`; each `Skill` has its input and
 * output JSON Schemas, base prompt, control uids, allowed tools and eval cases.
 *
 * The runner: `runSkill(deps, request)` → `SkillRunResult`
 * - deps `{ store, gateway, capsules?, defaultModel?, openAiCompatibleAvailable? }`;
 * - request `{ org, actor, caller?, skillId, input, provider?, model?, parentRunId?, runId?, signal?,
 *   hitlApproval? }`;
 * - resolves `{ runId, skillId, skillVersion, status: 'succeeded', output, costMicros, answers, requestIds,
 *   provider, model, capsuleId }`;
 * - throws `SkillRunError` (a CoreError): `skill_not_found`, `skill_input_invalid` (nothing recorded),
 *   `run_exists`, a gate's code (`policy_blocked`, `hitl_required` with `context.hitlRequestId`,
 *   `budget_exceeded`, `provider_error`, …), `skill_output_invalid`, `skill_cancelled`; `context.runId`
 *   names the run once it was recorded.
 *
 * Eval assertions (`evaluateAssertions`) are shared with workflow eval suites.
 */
export {
  type Assertion,
  type AssertionReport,
  type AssertionResult,
  evaluateAssertions,
} from './assertions.js';
export { type ActiveCapsule, type CapsuleSource, noCapsules } from './capsules.js';
export { ALL_CONTROL_UIDS, CURATED_CONTROL_UIDS } from './catalogue/control-sets.js';
export { getSkill, listSkills, SKILLS, skillsByCategory } from './catalogue/index.js';
export {
  type L3Findings,
  REPAIR_FAILED,
  type SkillRunCommand,
  skillRunDecider,
  UNKNOWN_CONTROL_FAILED,
} from './decide.js';
export { SkillRunError } from './errors.js';
export { MAX_ANSWERS, runSubject, type SkillRunFact } from './facts.js';
export { type InputKeeper, inputAsSent } from './input-keeper.js';
export { type SchemaProblem, validateAgainst } from './json-schema.js';
export { type RunSkillRequest, runSkill, type SkillRunnerDeps, type SkillRunResult } from './run-skill.js';
export {
  defineSkill,
  type JsonSchema as SkillSchema,
  type Skill,
  type SkillCategory,
  type SkillEvalCase,
  type SkillTool,
  skillCategories,
} from './skill.js';
export type { SkillRunState } from './state.js';
