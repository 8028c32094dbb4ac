import { z } from 'zod';
import { id } from './schemas.js';
import { skillIdPattern } from './skills.js';

const skill = z.string().max(100).regex(skillIdPattern);
const signal = z.enum(['pass_rate', 'hallucination_rate']);
const instant = z.iso.datetime();
/** A window of the signal: its span, its samples, the adverse ones, and the signal's rate over it. */
const window = z.strictObject({
  from: instant,
  to: instant,
  n: z.number().int().nonnegative(),
  adverse: z.number().int().nonnegative(),
  /** The signal's own rate: the share passing for `pass_rate`, the share flagged for `hallucination_rate`. */
  rate: z.number().min(0).max(1),
});

/**
 * Drift of a skill's quality signals (docs/quality-drift.md), on the subject of one (skill, signal),
 * `quality-drift/<skill>/<signal>`, so the two signals alert, recover and are suppressed independently.
 */
export const qualityDriftEvents = {
  /** A significant change: once per excursion; the baseline is frozen until it recovers. */
  'cp.quality.drift.alerted': z.strictObject({
    alertId: id,
    skill,
    signal,
    baseline: window,
    recent: window,
    /** The one-sided two-proportion z, and the threshold it reached. */
    statistic: z.number().finite(),
    threshold: z.number().finite(),
  }),
  /** The recent window is back near the alert's baseline. */
  'cp.quality.drift.recovered': z.strictObject({
    alertId: id,
    skill,
    signal,
    recent: window,
    statistic: z.number().finite(),
    threshold: z.number().finite(),
  }),
  /** An admin acknowledged an open alert: until a date, or until it recovers. */
  'cp.quality.drift.suppressed': z.strictObject({
    alertId: id,
    skill,
    signal,
    until: instant.nullable(),
    untilRecovered: z.boolean(),
    reason: z.string().min(1).max(500),
  }),
} as const;
