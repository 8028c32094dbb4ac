import { describe, expect, it } from 'vitest';
import { deciderSpec } from '../kit/decider-spec.js';
import { QualityDriftError } from './errors.js';
import { type DriftCommand, type DriftFact, driftMonitor } from './monitor.js';

const span = { from: '2026-01-01T00:00:00.000Z', to: '2026-01-08T00:00:00.000Z' };
const bad = { ...span, n: 200, adverse: 60 };
const usual = { ...span, n: 2000, adverse: 200 };
const evaluateWith = (recent: { n: number; adverse: number }, alertId = 'qda_1'): DriftCommand => ({
  type: 'evaluate',
  skill: 'policy.map_controls',
  signal: 'pass_rate',
  alertId,
  baseline: usual,
  recent: { ...span, ...recent },
});
const alerted: DriftFact = {
  type: 'cp.quality.drift.alerted',
  data: {
    alertId: 'qda_1',
    skill: 'policy.map_controls',
    signal: 'pass_rate',
    baseline: { ...usual, rate: 0.9 },
    recent: { ...bad, rate: 0.7 },
    statistic: 9,
    threshold: 3.72,
  },
};
const spec = deciderSpec(driftMonitor);
const suppress = (over: Partial<Extract<DriftCommand, { type: 'suppress' }>> = {}): DriftCommand => ({
  type: 'suppress',
  alertId: 'qda_1',
  until: null,
  untilRecovered: true,
  reason: 'prompt change under review',
  ...over,
});

describe('the drift monitor', () => {
  it('alerts with the signal rates of both windows', () => {
    const facts = driftMonitor.decide(evaluateWith(bad), driftMonitor.initialState());
    expect(facts).toHaveLength(1);
    expect(facts[0]).toMatchObject({
      type: 'cp.quality.drift.alerted',
      data: { alertId: 'qda_1', baseline: { rate: 0.9 }, recent: { rate: 0.7 }, threshold: 3.72 },
    });
  });

  it('raises nothing more while the excursion lasts', () => {
    spec.given([alerted]).when(evaluateWith(bad, 'qda_2')).then([]);
  });

  it('recovers against the frozen baseline once the rate is back', () => {
    const facts = driftMonitor.decide(
      evaluateWith({ n: 200, adverse: 20 }),
      [alerted].reduce(driftMonitor.evolve, driftMonitor.initialState()),
    );
    expect(facts).toMatchObject([{ type: 'cp.quality.drift.recovered', data: { alertId: 'qda_1' } }]);
  });

  it('suppresses the open alert until it recovers, and refuses the other signal, a recovered or an unknown alert', () => {
    spec
      .given([alerted])
      .when(suppress())
      .then([
        {
          type: 'cp.quality.drift.suppressed',
          data: {
            alertId: 'qda_1',
            skill: 'policy.map_controls',
            signal: 'pass_rate',
            until: null,
            untilRecovered: true,
            reason: 'prompt change under review',
          },
        },
      ]);
    const code = (c: string) => (e: unknown) => e instanceof QualityDriftError && e.code === c;
    spec
      .given([alerted])
      .when(suppress({ signal: 'hallucination_rate' }))
      .thenThrows(code('quality_alert_signal_mismatch'));
    spec.given([]).when(suppress()).thenThrows(code('quality_alert_not_found'));
    const recovered: DriftFact = {
      type: 'cp.quality.drift.recovered',
      data: {
        alertId: 'qda_1',
        skill: 'policy.map_controls',
        signal: 'pass_rate',
        recent: { ...bad, rate: 0.9 },
        statistic: 0,
        threshold: 1,
      },
    };
    spec.given([alerted, recovered]).when(suppress()).thenThrows(code('quality_alert_recovered'));
  });
});
