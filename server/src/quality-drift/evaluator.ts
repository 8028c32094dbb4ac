import {
  type Counts,
  DRIFT_DEFAULTS,
  DRIFT_SIGNALS,
  type DriftParameters,
  type DriftSignal,
  evaluateDrift,
  handleDriftCommand,
} from '@proofpane/commands';
import { type EventStore, newId } from '@proofpane/core';
import {
  type DriftBucket,
  driftBuckets,
  driftMonitoredSkills,
  openDriftAlerts,
} from '@proofpane/projections';
import type { Kysely } from 'kysely';

const ACTOR = { kind: 'system' as const, id: 'quality-drift' };

const countsOf = (signal: DriftSignal, buckets: readonly DriftBucket[]): Counts =>
  buckets.reduce(
    (c, b) =>
      signal === 'pass_rate'
        ? { n: c.n + b.runs, adverse: c.adverse + b.runs - b.passed }
        : { n: c.n + b.l3Checked, adverse: c.adverse + b.l3Flagged },
    { n: 0, adverse: 0 },
  );

/** The two windows at `at`: the recent one ends with the current (partial) hour, the baseline right before. */
export function windowSpans(at: Date, p: DriftParameters) {
  const current = Math.floor(at.getTime() / p.bucketMs) * p.bucketMs;
  const recentFrom = current - (p.recentBuckets - 1) * p.bucketMs;
  const baselineFrom = recentFrom - p.baselineBuckets * p.bucketMs;
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    baseline: { from: iso(baselineFrom), to: iso(recentFrom) },
    recent: { from: iso(recentFrom), to: at.toISOString() },
  };
}

/**
 * One pass over every (org, skill) with recent outcomes or an open alert: each signal's windows are summed
 * from the read model and, when the detector would act on the read model's view, the monitor decides on
 * the subject's own events, so a lagging read model or a second process never doubles an alert.
 * Resolves with the number of events appended.
 */
export async function evaluateDriftOnce(options: {
  db: Kysely<unknown>;
  store: EventStore;
  at: Date;
  parameters?: DriftParameters;
  onError?: (error: unknown, where: { org: string; skill: string }) => void;
}): Promise<number> {
  const p = options.parameters ?? DRIFT_DEFAULTS;
  const spans = windowSpans(options.at, p);
  let appended = 0;
  for (const { org, skill } of await driftMonitoredSkills(options.db, { since: spans.baseline.from })) {
    try {
      const buckets = await driftBuckets(options.db, {
        org,
        skill,
        from: spans.baseline.from,
        to: spans.recent.to,
      });
      const open = await openDriftAlerts(options.db, { org, skill });
      for (const signal of DRIFT_SIGNALS) {
        const baseline = countsOf(
          signal,
          buckets.filter((b) => b.bucket < spans.baseline.to),
        );
        const recent = countsOf(
          signal,
          buckets.filter((b) => b.bucket >= spans.recent.from),
        );
        const known = open.find((a) => a.signal === signal);
        const seen = evaluateDrift(
          known ? { open: true, baseline: known.baseline } : { open: false },
          { baseline, recent },
          p,
        );
        if (seen.kind === 'none') continue;
        const events = await handleDriftCommand({
          store: options.store,
          org,
          skill,
          signal,
          actor: ACTOR,
          command: {
            type: 'evaluate',
            skill,
            signal,
            alertId: newId('qda'),
            baseline: { ...spans.baseline, ...baseline },
            recent: { ...spans.recent, ...recent },
            parameters: p,
          },
        });
        appended += events.length;
      }
    } catch (error) {
      options.onError?.(error, { org, skill });
    }
  }
  return appended;
}

/** Evaluates every `intervalMs`; one pass at a time, stopped with the server. */
export function startDriftLoop(options: {
  db: Kysely<unknown>;
  store: EventStore;
  intervalMs: number;
  onError: (error: unknown, where?: { org: string; skill: string }) => void;
}): { stop(): Promise<void> } {
  let running: Promise<unknown> | undefined;
  const timer = setInterval(() => {
    running ??= evaluateDriftOnce({ ...options, at: new Date() })
      .catch((error: unknown) => options.onError(error))
      .finally(() => {
        running = undefined;
      });
  }, options.intervalMs);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
