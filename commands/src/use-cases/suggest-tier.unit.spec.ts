import { describe, expect, it } from 'vitest';
import { getSkill } from '../skills/catalogue/index.js';
import { validateAgainst } from '../skills/json-schema.js';
import { TIER_SKILL_ID, tierSkillInput } from './suggest-tier.js';

describe('the tier screening input', () => {
  const fields = {
    name: 'Applicant ranker',
    purpose: 'Ranks job applicants.',
    ownerId: 'usr_1',
    businessUnit: 'People',
    usersAffected: 'Job applicants',
    dataCategories: ['personal', 'special_category'] as ('personal' | 'special_category')[],
    models: [{ vendor: 'anthropic', model: 'claude-sonnet-4-5' }],
    autonomy: 'human_on_the_loop' as const,
    deploymentContext: 'internal' as const,
    riskTier: null,
    annexIIIArea: null,
  };

  it("is valid against the skill's input schema and carries the intake the tier depends on", () => {
    const input = tierSkillInput(fields);
    expect(validateAgainst(getSkill(TIER_SKILL_ID)!.inputSchema, input)).toEqual([]);
    expect(input).toMatchObject({ systemName: 'Applicant ranker', sector: 'People', role: 'deployer' });
    const description = String(input.description);
    for (const part of [
      'Ranks job applicants.',
      'special_category',
      'human on the loop',
      'anthropic/claude-sonnet-4-5',
    ])
      expect(description).toContain(part);
  });
});
