import { z } from 'zod';

/** The five frameworks of the control catalogue, by uid prefix (`GDPR` in `GDPR:Art.9`). */
export const QUALITY_FRAMEWORKS = ['NIST-AI-RMF', 'ISO42001', 'EU-AI-ACT', 'GDPR', 'SOC2'] as const;
export const qualityFramework = z.enum(QUALITY_FRAMEWORKS);
export type QualityFramework = z.infer<typeof qualityFramework>;

/** The longest text one L3 check reads. */
export const L3_MAX_TEXT_CHARS = 100_000;

/**
 * `POST /api/quality/l3`: a dry run of the L3 check (docs/quality.md) on any text. `framework` is what
 * the text is about: ids it leaves unnamed (`Art. 9`) are read under it; nothing is recorded.
 */
export const l3CheckBody = z.strictObject({
  text: z
    .string()
    .min(1, 'give the text to check')
    .max(L3_MAX_TEXT_CHARS, `split the text: at most ${L3_MAX_TEXT_CHARS} characters are checked at once`)
    .refine((s) => !s.includes('\u0000'), 'remove the NUL characters from the text'),
  framework: qualityFramework.optional(),
});
export type L3CheckBody = z.infer<typeof l3CheckBody>;

/** The catalogue uids cited, the ids their named framework does not hold, and those of another framework. */
export const l3CheckResult = z.strictObject({
  cited: z.array(z.string()),
  unknown: z.array(z.strictObject({ text: z.string(), framework: qualityFramework })),
  misattributed: z.array(
    z.strictObject({ text: z.string(), named: qualityFramework, actual: qualityFramework }),
  ),
});
export type L3CheckResult = z.infer<typeof l3CheckResult>;

const judgeModel = z.strictObject({
  provider: z.string().trim().min(1).max(60),
  model: z.string().trim().min(1).max(200),
});

/** The L4 judge's settings (docs/quality.md); the `demo` judge, no second one and no sampling by default. */
export const l4Settings = z.strictObject({
  judge: judgeModel,
  secondJudge: judgeModel.nullable(),
  /** A verdict passes when its weakest dimension scores at least this. */
  threshold: z.number().int().min(1).max(5),
  /** Two judges differing by more than this on one dimension send the run to triage. */
  disagreementMargin: z.number().int().min(0).max(4),
  /** The share of each skill's runs the sampling loop judges. */
  samplingRate: z.number().min(0).max(1),
  /** The quality budget line: what judging may spend per calendar month, in micro-dollars. */
  monthlyBudgetMicros: z.number().int().min(0).max(1_000_000_000_000),
});
export type L4SettingsBody = z.infer<typeof l4Settings>;

/**
 * `GET`/`PUT /api/quality/settings`: the org's quality settings; `l3.governedAnswers` is off by default.
 * A `PUT` without `l4` leaves the judge's settings as they are; a `GET` always has them.
 */
export const qualitySettings = z.strictObject({
  l3: z.strictObject({
    /** Check governed answers outside skills (`/v1` calls) as well. */
    governedAnswers: z.boolean(),
  }),
  l4: l4Settings.optional(),
});
export type QualitySettingsBody = z.infer<typeof qualitySettings>;
