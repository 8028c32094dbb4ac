import { z } from 'zod';

/** The eight categories of the skill catalogue, in catalogue order. */
export const SKILL_CATEGORIES = [
  'intake',
  'risk',
  'vendor',
  'policy',
  'monitoring',
  'audit',
  'training',
  'external',
] as const;
export const skillCategory = z.enum(SKILL_CATEGORIES);
export type SkillCategory = z.infer<typeof skillCategory>;

const jsonSchema = z.record(z.string(), z.unknown());

export const skillParams = z.strictObject({ id: z.string().min(1).max(100) });

/** A skill as the catalogue lists it. */
export const skillSummary = z.object({
  id: z.string(),
  category: skillCategory,
  title: z.string(),
  description: z.string(),
  version: z.string(),
  /** Control uids (`EU-AI-ACT:Art.9`, `ISO42001:A.5.2`) a run of the skill evidences. */
  controls: z.array(z.string()),
  allowedTools: z.array(z.string()),
});
export type SkillSummary = z.infer<typeof skillSummary>;

/** `GET /api/skills/:id`: the whole contract, for builders and capsule editors. */
export const skillDetail = skillSummary.extend({
  inputSchema: jsonSchema,
  outputSchema: jsonSchema,
  /** The default capsule text; an org's active capsule replaces it. */
  basePrompt: z.string(),
  evalCases: z.array(
    z.object({
      name: z.string(),
      input: z.record(z.string(), z.unknown()),
      assertions: z.array(z.record(z.string(), z.unknown())),
    }),
  ),
});
export type SkillDetail = z.infer<typeof skillDetail>;

/** `GET /api/skills`: every category, in order, with its skills. */
export const skillCatalogue = z.object({
  categories: z.array(z.object({ category: skillCategory, skills: z.array(skillSummary) })),
});
export type SkillCatalogue = z.infer<typeof skillCatalogue>;

/** `POST /api/skills/:id/run`. Without provider and model the demo provider answers. */
export const runSkillBody = z.strictObject({
  input: z.record(z.string().max(200), z.unknown()),
  provider: z.string().min(1).max(60).optional(),
  /** A model name, or `provider/model`. */
  model: z.string().min(1).max(200).optional(),
  /** The org's AI use case the run serves; `404 usecase_not_found` when the org has no such case. */
  useCaseId: z.string().min(1).max(200).optional(),
});
export type RunSkillBody = z.input<typeof runSkillBody>;

/** A finished skill run: its answer, valid against the skill's output schema. */
export const skillRunResult = z.object({
  runId: z.string(),
  skillId: z.string(),
  skillVersion: z.string(),
  status: z.literal('succeeded'),
  output: z.record(z.string(), z.unknown()),
  costMicros: z.number().int().nonnegative(),
  /** 1, or 2 when the first answer was repaired. */
  answers: z.number().int().positive(),
  requestIds: z.array(z.string()),
  provider: z.string(),
  model: z.string(),
  capsuleId: z.string().nullable(),
});
export type SkillRunResult = z.infer<typeof skillRunResult>;
