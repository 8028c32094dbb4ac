import { SKILLS } from '../skills/catalogue/index.js';

/** One skill ↔ control pair as shipped: each skill's declared `controls`. */
export interface SkillControlPair {
  skill: string;
  control: string;
}

/** The mapping out of the box, in catalogue order. */
export const DEFAULT_SKILL_CONTROLS: readonly SkillControlPair[] = SKILLS.flatMap((s) =>
  s.controls.map((control) => ({ skill: s.id as string, control })),
);

const pairs = new Set(DEFAULT_SKILL_CONTROLS.map((p) => `${p.skill}\n${p.control}`));

export const isDefaultMapping = (skill: string, control: string): boolean =>
  pairs.has(`${skill}\n${control}`);

/**
 * The mapping in force: the shipped pairs, then each approved override in approval order (a later one on
 * the same pair wins). Pure, so the read side and the specs compute it the same way.
 */
export function effectiveMapping(
  approved: readonly { skill: string; control: string; action: 'add' | 'remove' }[],
): SkillControlPair[] {
  const live = new Map(DEFAULT_SKILL_CONTROLS.map((p) => [`${p.skill}\n${p.control}`, p]));
  for (const o of approved) {
    const key = `${o.skill}\n${o.control}`;
    if (o.action === 'add') live.set(key, { skill: o.skill, control: o.control });
    else live.delete(key);
  }
  return [...live.values()];
}
