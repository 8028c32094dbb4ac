/**
 * Quality checks of model answers (docs/quality.md). L3, closed-set membership: `checkText` finds the
 * control identifiers a text cites (framework-aware patterns on RE2) and checks each against the
 * control catalogue; `checkSkillOutput` runs it over a skill's answer, and the skill runner records the
 * findings as `cp.quality.l3.checked` and fails a control-bearing skill on an unknown id.
 */
export { checkText, type L3Result } from './check.js';
export { type Citation, extractCitations } from './extract.js';
export { recordGovernedAnswerCheck } from './governed-answer.js';
export { FRAMEWORK_KEYS as L3_FRAMEWORKS, type FrameworkKey as L3Framework } from './patterns.js';
export {
  L4_DEFAULTS,
  type L4Settings,
  QUALITY_SETTINGS_SUBJECT,
  type QualitySettings,
  type QualitySettingsChange,
  readQualitySettings,
  updateQualitySettings,
} from './settings.js';
export { checkSkillOutput, holdsControlIds, type SkillOutputCheck, worthRecording } from './skill-output.js';
