import { z } from 'zod';
import { id } from './schemas.js';

const frameworkKey = z.enum(['NIST-AI-RMF', 'ISO42001', 'EU-AI-ACT', 'GDPR', 'SOC2']);
/** An identifier as the checker normalised it (`Art. 120`, `MEASURE 2.8`): pattern-shaped, never free text. */
const citedText = z.string().min(1).max(40);

/**
 * Quality checks of model answers (docs/quality.md). L3: the control identifiers an answer cites,
 * checked against the closed control catalogue; appended on the skill run's subject with the verdict
 * on the answer it concerns.
 */
export const qualityEvents = {
  'cp.quality.l3.checked': z.strictObject({
    /** The governed call whose answer was checked. */
    requestId: id,
    attempt: z.number().int().positive(),
    cited: z.array(z.string().min(3).max(100)).max(200),
    unknown: z.array(z.strictObject({ text: citedText, framework: frameworkKey })).max(100),
    misattributed: z
      .array(z.strictObject({ text: citedText, named: frameworkKey, actual: frameworkKey }))
      .max(100),
  }),
  /** The org's quality settings, on subject `settings/quality`; an admin changes them. */
  'cp.quality.settings.updated': z.strictObject({
    /** Whether governed answers outside skills (`/v1` calls) are checked by L3 too. */
    l3GovernedAnswers: z.boolean(),
    /** The L4 judge's settings (docs/quality.md); absent on events from before the judge existed. */
    l4: z
      .strictObject({
        judge: z.strictObject({ provider: z.string().min(1).max(60), model: z.string().min(1).max(200) }),
        secondJudge: z
          .strictObject({ provider: z.string().min(1).max(60), model: z.string().min(1).max(200) })
          .nullable(),
        threshold: z.number().int().min(1).max(5),
        disagreementMargin: z.number().int().min(0).max(4),
        samplingRate: z.number().min(0).max(1),
        monthlyBudgetMicros: z.number().int().nonnegative(),
      })
      .optional(),
  }),
} as const;
