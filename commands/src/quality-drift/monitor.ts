import type { EventData } from '@proofpane/core';
import type { Decider } from '../kit/decider.js';
import type { Fact } from '../kit/fact.js';
import { type Counts, DRIFT_DEFAULTS, type DriftParameters, type DriftSignal, evaluate } from './detector.js';
import { QualityDriftError } from './errors.js';

export type DriftFact = Fact<
  'cp.quality.drift.alerted' | 'cp.quality.drift.recovered' | 'cp.quality.drift.suppressed'
>;
export type DriftWindow = EventData<'cp.quality.drift.alerted'>['baseline'];

/** One (skill, signal) has one subject, so the two signals of a skill never share a state. */
export const driftSubject = (skill: string, signal: DriftSignal) => `quality-drift/${skill}/${signal}`;

export interface OpenAlert {
  alertId: string;
  skill: string;
  signal: DriftSignal;
  baseline: Counts;
  suppressed: { until: string | null; untilRecovered: boolean } | null;
}

export interface MonitorView {
  open: OpenAlert | null;
  /** Alerts of this subject that recovered, so a late suppression is refused with the right reason. */
  recovered: ReadonlySet<string>;
}

export type DriftCommand =
  | {
      type: 'evaluate';
      skill: string;
      signal: DriftSignal;
      /** The id an alert raised now takes; unused otherwise. */
      alertId: string;
      baseline: Omit<DriftWindow, 'rate'>;
      recent: Omit<DriftWindow, 'rate'>;
      parameters?: DriftParameters;
    }
  | {
      type: 'suppress';
      alertId: string;
      signal?: DriftSignal | undefined;
      until: string | null;
      untilRecovered: boolean;
      reason: string;
    };

/** The signal's own rate of a window: passing share for the pass rate, flagged share for hallucinations. */
const withRate = (signal: DriftSignal, w: Omit<DriftWindow, 'rate'>): DriftWindow => {
  const adverseRate = w.n === 0 ? 0 : w.adverse / w.n;
  const rate = signal === 'pass_rate' ? 1 - adverseRate : adverseRate;
  return { ...w, rate: Math.round(rate * 1e6) / 1e6 };
};

/**
 * The drift monitor of one (skill, signal): an evaluation raises an alert once per excursion and
 * records its recovery; an admin suppresses the open alert. Pure: the windows' counts, the new alert's
 * id and the parameters are in the command.
 */
export const driftMonitor: Decider<DriftCommand, MonitorView, DriftFact> = {
  initialState: () => ({ open: null, recovered: new Set() }),
  understands: (type) => type.startsWith('cp.quality.drift.'),
  evolve(state, fact) {
    switch (fact.type) {
      case 'cp.quality.drift.alerted':
        return {
          ...state,
          open: {
            alertId: fact.data.alertId,
            skill: fact.data.skill,
            signal: fact.data.signal,
            baseline: fact.data.baseline,
            suppressed: null,
          },
        };
      case 'cp.quality.drift.recovered':
        return { open: null, recovered: new Set([...state.recovered, fact.data.alertId]) };
      case 'cp.quality.drift.suppressed':
        if (state.open?.alertId !== fact.data.alertId) return state;
        return {
          ...state,
          open: {
            ...state.open,
            suppressed: { until: fact.data.until, untilRecovered: fact.data.untilRecovered },
          },
        };
    }
  },
  decide(command, state) {
    if (command.type === 'evaluate') {
      const p = command.parameters ?? DRIFT_DEFAULTS;
      const step = evaluate(
        state.open ? { open: true, baseline: state.open.baseline } : { open: false },
        { baseline: command.baseline, recent: command.recent },
        p,
      );
      const { skill, signal } = command;
      if (step.kind === 'alert')
        return [
          {
            type: 'cp.quality.drift.alerted',
            data: {
              alertId: command.alertId,
              skill,
              signal,
              baseline: withRate(signal, command.baseline),
              recent: withRate(signal, command.recent),
              statistic: step.statistic,
              threshold: p.zAlert,
            },
          },
        ];
      if (step.kind === 'recover' && state.open)
        return [
          {
            type: 'cp.quality.drift.recovered',
            data: {
              alertId: state.open.alertId,
              skill,
              signal,
              recent: withRate(signal, command.recent),
              statistic: step.statistic,
              threshold: p.zRecover,
            },
          },
        ];
      return [];
    }
    const { alertId } = command;
    if (state.recovered.has(alertId))
      throw new QualityDriftError('quality_alert_recovered', `alert ${alertId} has recovered`);
    if (state.open?.alertId !== alertId)
      throw new QualityDriftError('quality_alert_not_found', `no drift alert ${alertId} in this org`);
    const { skill, signal } = state.open;
    if (command.signal !== undefined && command.signal !== signal)
      throw new QualityDriftError(
        'quality_alert_signal_mismatch',
        `alert ${alertId} is about ${signal}, not ${command.signal}; suppress that signal's own alert`,
      );
    return [
      {
        type: 'cp.quality.drift.suppressed',
        data: {
          alertId,
          skill,
          signal,
          until: command.untilRecovered ? null : command.until,
          untilRecovered: command.untilRecovered,
          reason: command.reason,
        },
      },
    ];
  },
};
