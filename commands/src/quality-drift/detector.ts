/**
 * The drift detector (docs/quality-drift.md): a one-sided two-proportion z-test of a recent window against
 * a baseline window, over counts of "adverse" outcomes (a failed run for the pass rate, a flagged answer
 * for the hallucination rate). Pure: the server feeds it counts per bucket from the read model.
 */

export const DRIFT_SIGNALS = ['pass_rate', 'hallucination_rate'] as const;
export type DriftSignal = (typeof DRIFT_SIGNALS)[number];

/** Samples in a window and how many of them were adverse. */
export interface Counts {
  n: number;
  adverse: number;
}

export interface DriftParameters {
  /** The read model's bucket: one hour. */
  bucketMs: number;
  /** The recent window, in buckets, ending with the current one. */
  recentBuckets: number;
  /** The baseline window, in buckets, right before the recent one. */
  baselineBuckets: number;
  /** Fewer samples than this in the recent window: no verdict either way. */
  minRecent: number;
  minBaseline: number;
  /** Fewer adverse outcomes than this in the recent window never alert: the normal approximation needs them. */
  minAdverse: number;
  /** Alert when z reaches this: 3.72 is a one-sided alpha of 0.0001 per evaluation. */
  zAlert: number;
  /** An open alert recovers when z against its frozen baseline falls to this or below (hysteresis). */
  zRecover: number;
}

export const DRIFT_DEFAULTS: DriftParameters = {
  bucketMs: 3_600_000,
  recentBuckets: 24,
  baselineBuckets: 168,
  minRecent: 30,
  minBaseline: 100,
  minAdverse: 5,
  zAlert: 3.72,
  zRecover: 1.0,
};

export const rateOf = (c: Counts): number => (c.n === 0 ? 0 : c.adverse / c.n);

/**
 * One-sided z of "the recent adverse rate is higher than the baseline's", pooled, with Yates' continuity
 * correction (it keeps small recent windows from alerting on one or two unlucky samples). 0 when the pooled
 * rate is 0 or 1: no variance, no evidence of change.
 */
export function zStatistic(baseline: Counts, recent: Counts): number {
  if (baseline.n === 0 || recent.n === 0) return 0;
  const pooled = (baseline.adverse + recent.adverse) / (baseline.n + recent.n);
  if (pooled <= 0 || pooled >= 1) return 0;
  const inverse = 1 / baseline.n + 1 / recent.n;
  const se = Math.sqrt(pooled * (1 - pooled) * inverse);
  const diff = rateOf(recent) - rateOf(baseline);
  const corrected = diff > 0 ? Math.max(0, diff - 0.5 * inverse) : Math.min(0, diff + 0.5 * inverse);
  return Math.round((corrected / se) * 1e6) / 1e6;
}

export const sum = (buckets: readonly Counts[]): Counts =>
  buckets.reduce((a, b) => ({ n: a.n + b.n, adverse: a.adverse + b.adverse }), { n: 0, adverse: 0 });

/** Where one (skill, signal) stands: no open alert, or one whose baseline is frozen at the time it fired. */
export type MonitorState = { open: false } | { open: true; baseline: Counts };

export type DriftStep =
  | { kind: 'none'; statistic: number | null }
  | { kind: 'alert'; baseline: Counts; recent: Counts; statistic: number }
  | { kind: 'recover'; baseline: Counts; recent: Counts; statistic: number };

/**
 * One evaluation. With no open alert: the rolling baseline against the recent window, an alert when z
 * reaches `zAlert` and every minimum is met. With one open: the recent window against the baseline the
 * alert froze, so "recovered" means back near the level before the change, not that the baseline has
 * caught up with a new, worse level.
 */
export function evaluate(
  state: MonitorState,
  windows: { baseline: Counts; recent: Counts },
  p: DriftParameters = DRIFT_DEFAULTS,
): DriftStep {
  const { recent } = windows;
  if (recent.n < p.minRecent) return { kind: 'none', statistic: null };
  if (state.open) {
    const statistic = zStatistic(state.baseline, recent);
    return statistic <= p.zRecover
      ? { kind: 'recover', baseline: state.baseline, recent, statistic }
      : { kind: 'none', statistic };
  }
  const { baseline } = windows;
  if (baseline.n < p.minBaseline) return { kind: 'none', statistic: null };
  const statistic = zStatistic(baseline, recent);
  if (statistic >= p.zAlert && recent.adverse >= p.minAdverse)
    return { kind: 'alert', baseline, recent, statistic };
  return { kind: 'none', statistic };
}

/** The two windows at bucket index `at` (inclusive) of a series of per-bucket counts, oldest first. */
export function windowsAt(
  series: readonly Counts[],
  at: number,
  p: DriftParameters = DRIFT_DEFAULTS,
): { baseline: Counts; recent: Counts } {
  const recentStart = Math.max(0, at - p.recentBuckets + 1);
  const baselineStart = Math.max(0, recentStart - p.baselineBuckets);
  return {
    recent: sum(series.slice(recentStart, at + 1)),
    baseline: sum(series.slice(baselineStart, recentStart)),
  };
}

/** Walks a whole series bucket by bucket, as the server does hour by hour: the alerts and recoveries. */
export function scanSeries(
  series: readonly Counts[],
  p: DriftParameters = DRIFT_DEFAULTS,
): { at: number; kind: 'alert' | 'recover'; statistic: number }[] {
  let state: MonitorState = { open: false };
  const out: { at: number; kind: 'alert' | 'recover'; statistic: number }[] = [];
  for (let at = 0; at < series.length; at++) {
    const step = evaluate(state, windowsAt(series, at, p), p);
    if (step.kind === 'none') continue;
    out.push({ at, kind: step.kind, statistic: step.statistic });
    state = step.kind === 'alert' ? { open: true, baseline: step.baseline } : { open: false };
  }
  return out;
}
