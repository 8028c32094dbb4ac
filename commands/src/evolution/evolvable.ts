import { getSkill, listSkills } from '../skills/catalogue/index.js';
import type { JsonSchema, SkillEvalCase } from '../skills/skill.js';

/** What evolves: a prompt with an id. Catalogue skills also carry the contract replays are judged on. */
export interface EvolvableSkill {
  id: string;
  title: string;
  basePrompt: string;
  outputSchema: JsonSchema | null;
  evalCases: readonly SkillEvalCase[];
}

/**
 * META: the Repo Coder's own system prompt. It is not a catalogue skill (it has no structured contract),
 * but its capsule evolves through the same genes, replays and approvals.
 */
export const META_CODER: EvolvableSkill = {
  id: 'meta.coder',
  title: 'Repo Coder (META)',
  basePrompt: [
    'You are the Repo Coder of a governed AI platform.',
    'Make the smallest change that does what the task asks, keep the code style of the files you touch,',
    'add or update a spec that fails without the change, and explain the change in one short paragraph.',
    'Never put secrets, personal data or credentials in code, tests or messages.',
  ].join(' '),
  outputSchema: null,
  evalCases: [],
};

const fromCatalogue = (id: string): EvolvableSkill | undefined => {
  const skill = getSkill(id);
  return skill
    ? {
        id: skill.id,
        title: skill.title,
        basePrompt: skill.basePrompt,
        outputSchema: skill.outputSchema,
        evalCases: skill.evalCases,
      }
    : undefined;
};

/** The skill whose prompt may evolve, by id: a catalogue skill or `meta.coder`. */
export const evolvableSkill = (id: string): EvolvableSkill | undefined =>
  id === META_CODER.id ? META_CODER : fromCatalogue(id);

/** Every evolvable skill: the catalogue's, then META. */
export const evolvableSkills = (): EvolvableSkill[] => [
  ...listSkills().map((s) => fromCatalogue(s.id)!),
  META_CODER,
];
