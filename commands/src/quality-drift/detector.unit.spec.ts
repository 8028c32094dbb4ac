import { describe, expect, it } from 'vitest';
import { DRIFT_DEFAULTS, evaluate, scanSeries, zStatistic } from './detector.js';
import { l3Flagged, runPasses } from './outcome.js';
import { bernoulliSeries, seeded } from './testing/streams.js';

/** 20 samples an hour: 10,000 samples are 500 buckets. */
const PER_BUCKET = 20;
const alerts = (events: ReturnType<typeof scanSeries>) => events.filter((e) => e.kind === 'alert');

describe('the two-proportion z statistic', () => {
  it('is positive when the recent adverse rate is higher, zero when nothing varies', () => {
    expect(zStatistic({ n: 1000, adverse: 100 }, { n: 200, adverse: 60 })).toBeGreaterThan(5);
    expect(zStatistic({ n: 1000, adverse: 100 }, { n: 200, adverse: 10 })).toBeLessThan(-1);
    expect(zStatistic({ n: 1000, adverse: 0 }, { n: 200, adverse: 0 })).toBe(0);
    expect(zStatistic({ n: 0, adverse: 0 }, { n: 200, adverse: 10 })).toBe(0);
  });

  it('does not alert on two rare events in a small window, thanks to the minimum adverse count', () => {
    const step = evaluate(
      { open: false },
      { baseline: { n: 500, adverse: 0 }, recent: { n: 30, adverse: 2 } },
    );
    expect(step.kind).toBe('none');
  });

  it('gives no verdict below the minimum sample sizes', () => {
    const few = evaluate(
      { open: false },
      { baseline: { n: 500, adverse: 10 }, recent: { n: 29, adverse: 29 } },
    );
    expect(few).toEqual({ kind: 'none', statistic: null });
    const young = evaluate(
      { open: false },
      { baseline: { n: 99, adverse: 1 }, recent: { n: 300, adverse: 200 } },
    );
    expect(young).toEqual({ kind: 'none', statistic: null });
  });
});

describe('drift on synthetic streams', () => {
  it.each([
    { signal: 'pass rate 0.90 → 0.70', from: 0.1, to: 0.3, seed: 7 },
    { signal: 'hallucination rate 0.02 → 0.10', from: 0.02, to: 0.1, seed: 11 },
  ])('alerts on $signal within the documented delay of 18 buckets, once', ({ from, to, seed }) => {
    const change = 250;
    const series = bernoulliSeries({
      buckets: 400,
      perBucket: PER_BUCKET,
      rateAt: (b) => (b < change ? from : to),
      random: seeded(seed),
    });
    const raised = alerts(scanSeries(series));
    expect(raised).toHaveLength(1);
    expect(raised[0]!.at).toBeGreaterThanOrEqual(change);
    expect(raised[0]!.at - change).toBeLessThan(18);
    // The level stays bad: measured against the frozen baseline it never recovers.
    expect(scanSeries(series).filter((e) => e.kind === 'recover')).toEqual([]);
  });

  it('recovers when the rate returns, and a second excursion is a second alert', () => {
    const series = bernoulliSeries({
      buckets: 600,
      perBucket: PER_BUCKET,
      rateAt: (b) => ((b >= 250 && b < 300) || (b >= 450 && b < 500) ? 0.35 : 0.1),
      random: seeded(3),
    });
    const kinds = scanSeries(series).map((e) => e.kind);
    expect(kinds).toEqual(['alert', 'recover', 'alert', 'recover']);
  });

  it.each([
    { rate: 0.1, seed: 1 },
    { rate: 0.02, seed: 2 },
    { rate: 0.3, seed: 3 },
  ])('raises nothing over a stable stream of 10,000 samples at rate $rate', ({ rate, seed }) => {
    const series = bernoulliSeries({
      buckets: 500,
      perBucket: PER_BUCKET,
      rateAt: () => rate,
      random: seeded(seed),
    });
    expect(series.reduce((n, b) => n + b.n, 0)).toBe(10_000);
    expect(scanSeries(series)).toEqual([]);
    // The same stream at a lax threshold (one-sided alpha 0.05) does alarm: the check above can fail.
    expect(
      alerts(scanSeries(series, { ...DRIFT_DEFAULTS, zAlert: 1.645, minAdverse: 1 })).length,
    ).toBeGreaterThan(0);
  });
});

describe('what a run contributes', () => {
  it('passes when validated and no layer that ran failed it', () => {
    expect(runPasses({ validated: true })).toBe(true);
    expect(runPasses({ validated: true, l3Clean: true })).toBe(true);
    expect(runPasses({ validated: true, l3Clean: false })).toBe(false);
    expect(runPasses({ validated: false, l3Clean: true })).toBe(false);
    expect(runPasses({ validated: true, l3Clean: true, l4Passed: false })).toBe(false);
  });

  it('flags an L3 finding with unknown or misattributed ids', () => {
    expect(l3Flagged({ unknown: [], misattributed: [] })).toBe(false);
    expect(l3Flagged({ unknown: [{}], misattributed: [] })).toBe(true);
    expect(l3Flagged({ unknown: [], misattributed: [{}] })).toBe(true);
  });
});
