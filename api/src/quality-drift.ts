import { z } from 'zod';

/** The two signals of a skill's quality (docs/quality-drift.md), each with alerts of its own. */
export const DRIFT_SIGNALS = ['pass_rate', 'hallucination_rate'] as const;
export const driftSignal = z.enum(DRIFT_SIGNALS);
export const DRIFT_ALERT_STATUSES = ['open', 'suppressed', 'recovered'] as const;
export const driftAlertStatus = z.enum(DRIFT_ALERT_STATUSES);
/** The longest an alert may be suppressed until a date. */
export const DRIFT_SUPPRESS_MAX_DAYS = 90;

const skillId = z
  .string()
  .max(100)
  .regex(/^[a-z][a-z0-9]*\.[a-z][a-z0-9_]*$/, 'a skill id, `category.name`');

export const driftAlertParams = z.strictObject({
  id: z
    .string()
    .min(1)
    .max(200)
    .regex(/^[A-Za-z0-9_-]+$/, 'an alert id'),
});

export const driftAlertsQuery = z.strictObject({
  status: driftAlertStatus.optional(),
  skill: skillId.optional(),
  /** The `next` of the previous page. */
  after: z.string().max(400).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
export type DriftAlertsQuery = z.input<typeof driftAlertsQuery>;

const driftWindow = z.strictObject({
  from: z.string(),
  to: z.string(),
  n: z.number().int(),
  adverse: z.number().int(),
  /** The signal's rate: the passing share for `pass_rate`, the flagged share for `hallucination_rate`. */
  rate: z.number(),
});

export const driftAlert = z.strictObject({
  id: z.string(),
  skill: z.string(),
  signal: driftSignal,
  status: driftAlertStatus,
  raisedAt: z.string(),
  baseline: driftWindow,
  recent: driftWindow,
  statistic: z.number(),
  threshold: z.number(),
  recoveredAt: z.string().nullable(),
  suppression: z
    .strictObject({
      until: z.string().nullable(),
      untilRecovered: z.boolean(),
      reason: z.string(),
      by: z.string(),
      at: z.string(),
    })
    .nullable(),
});
export type DriftAlert = z.infer<typeof driftAlert>;

export const driftAlertList = z.strictObject({ alerts: z.array(driftAlert), next: z.string().nullable() });
export type DriftAlertList = z.infer<typeof driftAlertList>;

/**
 * `POST /api/quality/alerts/:id/suppress`: acknowledge one alert until a date or until it recovers.
 * `signal`, when given, must be the alert's: a client never silences the other signal by mistake.
 */
export const suppressDriftAlertBody = z
  .strictObject({
    signal: driftSignal.optional(),
    until: z.iso.datetime({ offset: true }).optional(),
    untilRecovered: z.literal(true).optional(),
    reason: z
      .string()
      .trim()
      .min(1, 'say why the alert is suppressed')
      .max(500)
      .refine((s) => !s.includes('\u0000'), 'remove the NUL characters'),
  })
  .refine((b) => (b.until === undefined) !== (b.untilRecovered === undefined), {
    message: 'give either `until` (a date) or `untilRecovered: true`',
    path: ['until'],
  });
export type SuppressDriftAlertBody = z.input<typeof suppressDriftAlertBody>;

export const DRIFT_SUMMARY_WINDOWS = ['24h', '7d', '30d'] as const;
export const driftSummaryQuery = z.strictObject({
  skill: skillId.optional(),
  /** The span charted: hourly buckets for `24h` and `7d`, daily for `30d`. */
  window: z.enum(DRIFT_SUMMARY_WINDOWS).default('7d'),
});
export type DriftSummaryQuery = z.input<typeof driftSummaryQuery>;

const rates = {
  runs: z.number().int(),
  passed: z.number().int(),
  /** null when no run ended in the bucket. */
  passRate: z.number().nullable(),
  l3Checked: z.number().int(),
  l3Flagged: z.number().int(),
  /** null when no answer was L3-checked in the bucket. */
  hallucinationRate: z.number().nullable(),
};

export const driftSummary = z.strictObject({
  window: z.enum(DRIFT_SUMMARY_WINDOWS),
  bucket: z.enum(['hour', 'day']),
  from: z.string(),
  to: z.string(),
  skills: z.array(
    z.strictObject({
      skill: z.string(),
      totals: z.strictObject(rates),
      buckets: z.array(z.strictObject({ start: z.string(), ...rates })),
    }),
  ),
});
export type DriftSummary = z.infer<typeof driftSummary>;
