import { z } from 'zod';
import { hex64, id } from './schemas.js';

/** `category.name`, e.g. `risk.eu_ai_act_tier`. */
export const skillIdPattern = /^[a-z][a-z0-9]*\.[a-z][a-z0-9_]*$/;
const skillId = z.string().max(100).regex(skillIdPattern);

/**
 * A governed skill's run (`commands/src/skills`), on the run's own subject `run/<id>` beside
 * `cp.run.started`/`cp.run.completed`. Inputs and outputs never appear: their SHA-256 does, so an
 * auditor holding the documents can prove which ones a run saw and produced.
 */
export const skillEvents = {
  'cp.skill.invoked': z.strictObject({
    skillId,
    skillVersion: z.string().min(1).max(40),
    /** The org's capsule whose text replaced the base prompt; null: the skill's own prompt. */
    capsuleId: id.nullable(),
    inputSha256: hex64,
    provider: z.string().min(1).max(60),
    model: z.string().min(1).max(200),
  }),
  /** An answer failed the output schema; `errors` name the failing paths, never the values. */
  'cp.skill.output.rejected': z.strictObject({
    attempt: z.number().int().positive(),
    requestId: id,
    errors: z.array(z.string().max(300)).min(1).max(20),
  }),
  'cp.skill.output.accepted': z.strictObject({
    attempt: z.number().int().positive(),
    requestId: id,
    outputSha256: hex64,
  }),
} as const;
