import { SKILL_CATEGORIES, type SkillCategory } from '@proofpane/api';
import type { Assertion } from './assertions.js';
import type { JsonSchema } from './json-schema.js';

export type { JsonSchema };

/** The catalogue's categories, in catalogue order: the API contract's list. */
export const skillCategories = SKILL_CATEGORIES;
export type { SkillCategory };

/**
 * What a skill may call besides its model: the seven workspace tools, or an integration's operation
 * (`salesforce.*`, `gmail.*`, `slack.*`). Today's runner offers none; the list is the allowance a
 * policy and the builder read.
 */
export type SkillTool =
  | 'read'
  | 'write'
  | 'edit'
  | 'bash'
  | 'glob'
  | 'grep'
  | 'list'
  | `${'salesforce' | 'gmail' | 'slack'}.${string}`;

/** An input and what a correct answer must satisfy; run on the demo provider by the catalogue spec. */
export interface SkillEvalCase {
  name: string;
  input: Record<string, unknown>;
  assertions: readonly Assertion[];
}

/**
 * A governed skill: one structured model call with a fixed contract. `basePrompt` is the default
 * capsule text (an org's active capsule replaces it); `controls` are control uids from
 * `@proofpane/core`'s control catalogue that a run of this skill evidences.
 */
export interface Skill {
  id: `${SkillCategory}.${string}`;
  category: SkillCategory;
  title: string;
  description: string;
  /** Semver; recorded on every run so an answer can be traced to the contract it was held to. */
  version: string;
  inputSchema: JsonSchema;
  outputSchema: JsonSchema;
  basePrompt: string;
  controls: readonly string[];
  allowedTools: readonly SkillTool[];
  evalCases: readonly SkillEvalCase[];
}

/** Keeps each skill file's literal types checked against the contract. */
export const defineSkill = (skill: Skill): Skill => skill;
