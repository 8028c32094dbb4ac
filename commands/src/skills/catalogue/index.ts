import type { Skill, SkillCategory } from '../skill.js';
import { skillCategories } from '../skill.js';
import { classifyUseCase } from './intake/classify-use-case.js';
import { identifyDataCategories } from './intake/identify-data-categories.js';
import { summarizeUseCase } from './intake/summarize-use-case.js';

/** Every governed skill, in catalogue order: category by category. */
export const SKILLS: readonly Skill[] = [classifyUseCase, summarizeUseCase, identifyDataCategories];

const byId = new Map(SKILLS.map((s) => [s.id as string, s]));

export const getSkill = (id: string): Skill | undefined => byId.get(id);

export const listSkills = (): readonly Skill[] => SKILLS;

/** The catalogue grouped by category, every category present even when empty. */
export const skillsByCategory = (): { category: SkillCategory; skills: Skill[] }[] =>
  skillCategories.map((category) => ({ category, skills: SKILLS.filter((s) => s.category === category) }));
